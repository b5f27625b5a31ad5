using System.Text.Json.Serialization;
using MentorFlow.Functions.Email;

namespace MentorFlow.Functions.Hosting;

/// <summary>
/// Running as an Azure Functions custom handler (FunctionApp/host.json): the Functions host starts the app with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, proxies the HTTP functions' requests to it unchanged, and POSTs each timer
/// invocation to <c>/{FunctionName}</c> — here <c>/Dispatch</c>, one sweep of the outbox. Custom handlers have no Durable
/// Functions support: under this host the workflow's orchestrations do not run (the isolated-worker app replaces it). (Microsoft Learn, "Azure Functions custom
/// handlers": request and response payloads of non-HTTP triggers.)
/// </summary>
public static class CustomHandler
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string InvocationHeader = "X-Azure-Functions-InvocationId";
    public const string DispatchFunction = "Dispatch";

    public static string? Port(IConfiguration configuration) => configuration[PortVariable];

    /// <summary>Under the Functions host: listen where it says, on loopback only; the timer function, not a loop, sweeps the outbox.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        if (Port(builder.Configuration) is not { Length: > 0 } port)
        {
            return;
        }
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{AppSettings.Section}:{nameof(AppSettings.RunWorkflow)}"] = "false" });
    }

    /// <summary>The timer function's route, mapped only under the Functions host (no HTTP function proxies to it).</summary>
    public static void MapTimerFunctions(WebApplication app)
    {
        if (Port(app.Configuration) is { Length: > 0 })
        {
            app.MapPost($"/{DispatchFunction}", DispatchAsync).ExcludeFromDescription();
        }
    }

    public static async Task<IResult> DispatchAsync(HttpRequest request, Outbox outbox, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("MentorFlow.Functions.Dispatch");
        var invocation = request.Headers[InvocationHeader].ToString();
        try
        {
            var line = $"sweep: {await outbox.SweepAsync(ct)}";
            logger.LogInformation("Dispatch invocation {InvocationId}: {Result}", invocation, line);
            return TypedResults.Json(new InvocationResult([line]));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A non-2xx fails the invocation, so that the platform records it; the next invocation picks up where this one stopped.
            logger.LogError(e, "Dispatch invocation {InvocationId} failed", invocation);
            return TypedResults.Json(new InvocationResult([$"sweep failed: {e.GetType().Name}: {e.Message}"]), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>The custom handler's answer to a non-HTTP invocation: <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>.</summary>
    public sealed record InvocationResult(
        [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs)
    {
        [JsonPropertyName("Outputs")]
        public IReadOnlyDictionary<string, string> Outputs { get; } = new Dictionary<string, string>();

        [JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? ReturnValue { get; }
    }
}
