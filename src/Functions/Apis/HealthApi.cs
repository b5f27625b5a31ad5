using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Health).WithName(nameof(Health)).WithTags("Health").WithSummary("Readiness: the app answers and reaches its store");
        // Liveness: the process answers. Readiness (/healthz) also needs the store, so an outage stops traffic without restarts.
        app.MapGet("/healthz/live", Live).WithName(nameof(Live)).WithTags("Health").WithSummary("Liveness: the process answers");
        return app;
    }

    public static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse("alive"));

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Health(CosmosStore store, CancellationToken ct)
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
        var body = new HealthResponse(reachable ? "healthy" : "unhealthy", reachable ? "reachable" : "unreachable");
        return reachable ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
