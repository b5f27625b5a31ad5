using System.Text.Json.Nodes;
using MentorFlow.Functions.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Health).WithName(nameof(Health)).WithTags("Health");
        // Liveness: the process answers. Readiness (/healthz) also needs the store, so an outage stops traffic without restarts.
        app.MapGet("/healthz/live", () => TypedResults.Ok(new JsonObject { ["status"] = "alive" })).WithName("Live").WithTags("Health");
        return app;
    }

    public static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>>> Health(CosmosStore store, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        bool reachable;
        try
        {
            reachable = await store.IsReachableAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            reachable = false;
        }
        var body = new JsonObject { ["status"] = reachable ? "healthy" : "unhealthy", ["store"] = reachable ? "reachable" : "unreachable" };
        return reachable ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
