using Azure.Core;
using Azure.Core.Pipeline;

namespace MentorFlow.Functions.Durable;

/// <summary>The storage services a task hub uses.</summary>
public enum StorageService
{
    Blob,
    Queue,
    Table,
}

/// <summary>
/// The storage transactions the local engine's task hub makes (every request its blob, queue and table clients send, retries
/// included: each is a billed transaction in Azure), by service. What <c>./mentorflow bench workflow</c> counts per pair and idle.
/// </summary>
public sealed class StorageTransactions
{
    private readonly long[] _counts = new long[3];

    public StorageCount Snapshot() => new(Read(StorageService.Blob), Read(StorageService.Queue), Read(StorageService.Table));

    /// <summary>The policy that counts one service's requests (added per retry: a retried request is a transaction of its own).</summary>
    public HttpPipelinePolicy Policy(StorageService service) => new Counting(_counts, (int)service);

    private long Read(StorageService service) => Interlocked.Read(ref _counts[(int)service]);

    private sealed class Counting(long[] counts, int slot) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref counts[slot]);
    }
}

/// <summary>Storage transactions by service.</summary>
public sealed record StorageCount(long Blob, long Queue, long Table)
{
    public long Total => Blob + Queue + Table;

    public StorageCount Since(StorageCount before) => new(Blob - before.Blob, Queue - before.Queue, Table - before.Table);
}
