using MentorFlow.Functions.Hosting;

namespace MentorFlow.Functions.FunctionApp;

/// <summary>
/// The app's pipeline and endpoints (<see cref="Composition.UseMentorFlow"/>, the same definition the local host serves), built
/// once over the worker's services, for the HTTP functions to run on the request the Functions host proxied. The worker's own
/// routing has already matched the function's endpoint: it is cleared so that the app's routing matches the app's route.
/// </summary>
public sealed class AppPipeline(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> _pipeline = new(() =>
    {
        var app = new ApplicationBuilder(services);
        app.UseMentorFlow();
        return app.Build();
    });

    public async Task<IResult> RunAsync(HttpContext context)
    {
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        await _pipeline.Value(context);
        // The response is written; nothing more for the worker to write.
        return Results.Empty;
    }
}
