using Azure.Core;
using Azure.Core.Pipeline;

namespace MentorFlow.Functions.Durable;

/// <summary>
/// The storage transactions the local engine's task hub makes (every request its blob, queue and table clients send, retries
/// included: each is a billed transaction in Azure), by service. What <c>./mentorflow bench workflow</c> counts per pair and idle.
/// </summary>
public sealed class StorageTransactions
{
    private long _blob;
    private long _queue;
    private long _table;

    public StorageCount Snapshot() => new(Interlocked.Read(ref _blob), Interlocked.Read(ref _queue), Interlocked.Read(ref _table));

    /// <summary>The policy that counts, one per service (added per retry: a retried request is a transaction of its own).</summary>
    public HttpPipelinePolicy Policy(string service) => new Counting(this, service);

    private sealed class Counting(StorageTransactions counts, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            switch (service)
            {
                case "blob": Interlocked.Increment(ref counts._blob); break;
                case "queue": Interlocked.Increment(ref counts._queue); break;
                default: Interlocked.Increment(ref counts._table); break;
            }
        }
    }
}

/// <summary>Storage transactions by service.</summary>
public sealed record StorageCount(long Blob, long Queue, long Table)
{
    public long Total => Blob + Queue + Table;

    public StorageCount Since(StorageCount before) => new(Blob - before.Blob, Queue - before.Queue, Table - before.Table);
}
