namespace MentorFlow.Functions.Store;

/// <summary>
/// Counts the app's Cosmos DB requests by kind, for the simulate verb's figures (the local server reports 1 RU for
/// everything, so real request units are estimated from these counts and the largest document written).
/// </summary>
public sealed class CosmosOperationCounter : DelegatingHandler
{
    private long _reads, _writes, _queries, _feeds, _other, _largestWrite;

    public (long Reads, long Writes, long Queries, long Feeds, long Other, long LargestWrite) Snapshot() =>
        (Interlocked.Read(ref _reads), Interlocked.Read(ref _writes), Interlocked.Read(ref _queries), Interlocked.Read(ref _feeds),
            Interlocked.Read(ref _other), Interlocked.Read(ref _largestWrite));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath.TrimEnd('/') ?? "";
        var isQuery = request.Headers.TryGetValues("x-ms-documentdb-isquery", out var q) && q.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        var documents = path.Contains("/docs", StringComparison.Ordinal);
        if (!documents)
        {
            Interlocked.Increment(ref _other);
        }
        else if (isQuery)
        {
            Interlocked.Increment(ref _queries);
        }
        else if (request.Method == HttpMethod.Get)
        {
            Interlocked.Increment(ref path.EndsWith("/docs", StringComparison.Ordinal) ? ref _feeds : ref _reads);
        }
        else
        {
            Interlocked.Increment(ref _writes);
            var size = request.Content?.Headers.ContentLength ?? 0;
            long seen;
            while (size > (seen = Interlocked.Read(ref _largestWrite)) && Interlocked.CompareExchange(ref _largestWrite, size, seen) != seen)
            {
            }
        }
        return base.SendAsync(request, cancellationToken);
    }
}
