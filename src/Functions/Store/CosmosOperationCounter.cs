using System.Collections.Concurrent;
using System.Net;

namespace MentorFlow.Functions.Store;

/// <summary>
/// Counts the app's Cosmos DB requests by kind, for the simulate verb's figures (the local server reports 1 RU for
/// everything, so real request units are estimated from these counts and the largest document written). Writes are
/// also counted by container, and the writes the store refused because another writer got there first (412) apart.
/// </summary>
public sealed class CosmosOperationCounter : DelegatingHandler
{
    private long _reads, _writes, _queries, _feeds, _other, _largestWrite, _lostRaces;

    public ConcurrentDictionary<string, long> WritesByContainer { get; } = new(StringComparer.Ordinal);

    public (long Reads, long Writes, long Queries, long Feeds, long Other, long LargestWrite) Snapshot() =>
        (Interlocked.Read(ref _reads), Interlocked.Read(ref _writes), Interlocked.Read(ref _queries), Interlocked.Read(ref _feeds),
            Interlocked.Read(ref _other), Interlocked.Read(ref _largestWrite));

    /// <summary>Writes refused with 412 Precondition Failed (counted among the writes too: they cost a request).</summary>
    public long LostRaces => Interlocked.Read(ref _lostRaces);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath.TrimEnd('/') ?? "";
        var isQuery = request.Headers.TryGetValues("x-ms-documentdb-isquery", out var q) && q.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        var documents = path.Contains("/docs", StringComparison.Ordinal);
        var write = false;
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
            write = true;
            Interlocked.Increment(ref _writes);
            WritesByContainer.AddOrUpdate(ContainerOf(path), 1, (_, n) => n + 1);
            var size = request.Content?.Headers.ContentLength ?? 0;
            long seen;
            while (size > (seen = Interlocked.Read(ref _largestWrite)) && Interlocked.CompareExchange(ref _largestWrite, size, seen) != seen)
            {
            }
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (write && response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            Interlocked.Increment(ref _lostRaces);
        }
        return response;
    }

    /// <summary>The container a document path names (…/colls/{name}/docs…).</summary>
    private static string ContainerOf(string path)
    {
        var parts = path.Split('/');
        var at = Array.IndexOf(parts, "colls");
        return at >= 0 && at + 1 < parts.Length ? parts[at + 1] : "?";
    }
}
