using System.Net;
using System.Text;

namespace MentorFlow.Functions.Store;

/// <summary>
/// Answers a share of document requests with the 429 or 503 that Cosmos DB sends under load, before they reach the server,
/// so that tests prove the SDK's retries plus the Polly pipeline survive them. Off unless configured (Development only).
/// </summary>
public sealed class CosmosFaultInjector(double rate, int seed) : DelegatingHandler
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private long _injected;

    public long Injected => Interlocked.Read(ref _injected);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var isDocumentRequest = request.RequestUri?.AbsolutePath.Contains("/docs", StringComparison.Ordinal) == true;
        double draw;
        lock (_lock)
        {
            draw = _random.NextDouble();
        }
        if (!isDocumentRequest || draw >= rate)
        {
            return base.SendAsync(request, cancellationToken);
        }
        Interlocked.Increment(ref _injected);
        var throttle = draw < rate / 2;
        var status = throttle ? (HttpStatusCode)429 : HttpStatusCode.ServiceUnavailable;
        var code = throttle ? "TooManyRequests" : "ServiceUnavailable";
        var response = new HttpResponseMessage(status)
        {
            RequestMessage = request,
            Content = new StringContent($$"""{"code":"{{code}}","message":"Injected by the fault injector."}""", Encoding.UTF8, "application/json"),
        };
        response.Headers.Add("x-ms-activity-id", Guid.NewGuid().ToString());
        if (throttle)
        {
            response.Headers.Add("x-ms-retry-after-ms", "20");
            response.Headers.Add("x-ms-substatus", "3200");
        }
        return Task.FromResult(response);
    }
}
