using MentorFlow.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;

namespace MentorFlow.Functions.FunctionApp;

/// <summary>
/// The app in Azure: an Azure Functions isolated worker with ASP.NET Core integration. The Functions host starts this same
/// executable with its <c>--functions-…</c> arguments; the worker registers the HTTP, orchestrator, activity and timer functions
/// of this folder (the SDK's source generator lists them in <c>functions.metadata</c>), and every HTTP function hands its request
/// to the app's one pipeline (<see cref="AppPipeline"/>). The orchestrations run in the Functions host's Durable extension on the
/// host's storage account (host.json), not in the local engine.
/// </summary>
public static class FunctionsWorker
{
    /// <summary>The Functions host passes <c>--functions-uri</c>, <c>--functions-worker-id</c> and the like; nothing else does.</summary>
    public static bool IsStartedByTheFunctionsHost(IEnumerable<string> args) =>
        args.Any(arg => arg.StartsWith("--functions-", StringComparison.Ordinal));

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        // The Functions host runs the orchestrations (its Durable extension); the local engine never starts here.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{AppSettings.Section}:{nameof(AppSettings.RunWorkflow)}"] = "false" });
        builder.AddMentorFlow();
        builder.Services.AddSingleton<AppPipeline>();
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }
}
