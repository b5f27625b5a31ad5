using MentorFlow.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace MentorFlow.Functions.FunctionApp;

/// <summary>
/// The HTTP functions, one per area of the site (<c>routePrefix</c> is empty in host.json, so a route is the URL's path). Each is a
/// wrapper: it hands the Durable client the Functions host bound to it to the workflow (creating a cohort or a pair starts its
/// orchestration, an answer wakes one), then runs the request through the app's pipeline. No handler is written twice: the
/// routes, filters and handlers are the ones the local host serves. The host reserves <c>/admin</c> for itself: the console is at
/// <c>/console</c> in both hosts.
/// </summary>
public sealed class HttpFunctions(AppPipeline pipeline, DurableClients clients)
{
    private Task<IResult> RunAsync(HttpRequest request, DurableTaskClient client)
    {
        clients.Use(client);
        return pipeline.RunAsync(request.HttpContext);
    }

    [Function("Api")]
    public Task<IResult> Api([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", Route = "api/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("Console")]
    public Task<IResult> Console([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "console/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("JoinPage")]
    public Task<IResult> JoinPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cohorts/{cohortId}/join")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("ConfirmLinks")]
    public Task<IResult> ConfirmLinks([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "c/{token}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("ManageLinks")]
    public Task<IResult> ManageLinks([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "m/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("ResponseLinks")]
    public Task<IResult> ResponseLinks([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "r/{token}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("Assets")]
    public Task<IResult> Assets([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("Health")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);

    [Function("OpenApi")]
    public Task<IResult> OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(request, client);
}
