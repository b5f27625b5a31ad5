using System.Threading.Channels;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using MentorFlow.Shared.Email;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Email;

/// <summary>
/// Sends the receipts that intake wrote into participants' documents. A sender claims an entry with an ETag-guarded write
/// (so several app instances never send the same receipt at once), sends it within the shared sending quota, and marks it sent; a claim left by a crashed
/// sender expires after the lease and is taken over. The only duplicate window is a crash between the SMTP server's
/// acceptance and the write that records it; the repeated message carries the same Message-ID.
/// </summary>
public sealed class ReceiptOutbox(
    CosmosStore store,
    IEmailSender sender,
    TimeProvider time,
    IOptions<AppSettings> settings,
    Workflow.SendingQuota quota,
    ILogger<ReceiptOutbox> logger)
{
    private readonly string _instance = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly Channel<string> _wake = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    public ChannelReader<string> Wakeups => _wake.Reader;

    /// <summary>Asks the background sender to look at this cohort now rather than at its next sweep.</summary>
    public void Notify(string cohortId) => _wake.Writer.TryWrite(cohortId);

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var sent = 0;
        foreach (var cohort in await store.ListCohortsAsync(ct))
        {
            sent += await SendPendingAsync(cohort.Id, ct);
        }
        return sent;
    }

    public async Task<int> SendPendingAsync(string cohortId, CancellationToken ct)
    {
        var pending = await store.PendingReceiptsAsync(cohortId, ct);
        if (pending.Count == 0)
        {
            return 0;
        }
        var cohort = await store.ReadCohortAsync(cohortId, ct);
        if (cohort is null)
        {
            return 0;
        }
        var sendable = pending.Where(d => !(d.Receipt.State == OutboxState.Claimed && d.Receipt.ClaimedUntil > time.GetUtcNow())).ToList();
        // Receipts count against the same provider quota as the pairs' emails; what does not fit waits for a later sweep.
        var granted = await quota.ReserveAsync(sendable.Count, ct);
        var sent = 0;
        foreach (var document in sendable.Take(granted))
        {
            var now = time.GetUtcNow();
            var claimed = await store.ReplaceParticipantAsync(document with
            {
                Receipt = document.Receipt with
                {
                    State = OutboxState.Claimed,
                    ClaimedBy = _instance,
                    ClaimedUntil = now + settings.Value.OutboxLease,
                    Attempts = document.Receipt.Attempts + 1,
                },
            }, ct);
            if (claimed is null)
            {
                continue;
            }
            try
            {
                await sender.SendAsync(ReceiptEmail.Compose(cohort.Value, claimed.Participant), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Shutting down: hand the claim back so that another instance need not wait for the lease to expire.
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await store.ReplaceParticipantAsync(claimed with { Receipt = Release(claimed.Receipt, "Cancelled") }, grace.Token);
                throw;
            }
            catch (Exception e)
            {
                logger.LogWarning("Receipt {Key} not sent (attempt {Attempt}): {Error}", claimed.Receipt.IdempotencyKey, claimed.Receipt.Attempts, e.GetType().Name);
                await store.ReplaceParticipantAsync(claimed with { Receipt = Release(claimed.Receipt, e.GetType().Name) }, ct);
                continue;
            }
            var recorded = await store.ReplaceParticipantAsync(claimed with
            {
                Receipt = claimed.Receipt with { State = OutboxState.Sent, SentAt = time.GetUtcNow(), ClaimedBy = null, ClaimedUntil = null, LastError = null },
            }, ct);
            if (recorded is null)
            {
                logger.LogWarning("Receipt {Key} was sent but another writer changed its document first", claimed.Receipt.IdempotencyKey);
            }
            sent++;
        }
        return sent;
    }

    private static OutboxEntry Release(OutboxEntry entry, string error) =>
        entry with { State = OutboxState.Pending, ClaimedBy = null, ClaimedUntil = null, LastError = error };
}

/// <summary>The timer function that runs the receipt outbox: at once when intake signals, and on a fixed sweep.</summary>
public sealed class ReceiptOutboxWorker(ReceiptOutbox outbox, TimeProvider time, IOptions<AppSettings> settings, ILogger<ReceiptOutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.RunOutbox)
        {
            return;
        }
        var nextSweep = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextSweep)
                {
                    await outbox.SweepAsync(stoppingToken);
                    nextSweep = time.GetUtcNow() + settings.Value.OutboxInterval;
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(settings.Value.OutboxInterval);
                string cohortId;
                try
                {
                    cohortId = await outbox.Wakeups.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    continue;
                }
                await outbox.SendPendingAsync(cohortId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The receipt outbox failed this round; it tries again at the next sweep");
                nextSweep = DateTimeOffset.MinValue;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
