using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Workflow;

public sealed record TickSummary(int Transitions, int EmailsSent, int EmailsWaiting, int CohortsClosed);

/// <summary>
/// The timer function: finds pairs whose next due time has passed, cohort by cohort (single-partition queries), and applies
/// the due event; then sends what the transitions put in the outboxes; then closes cohorts whose pairs have all ended.
/// Any number of dispatchers may run at once: ETags keep each transition single.
/// </summary>
public sealed class Dispatcher(CosmosStore store, PairWorkflow workflow, PairOutboxSender sender, CohortCloser closer, TimeProvider time)
{
    public async Task<TickSummary> TickAsync(CancellationToken ct)
    {
        var transitions = 0;
        var nearingTheEnd = new HashSet<string>(StringComparer.Ordinal);
        var cohorts = (await store.ListCohortsAsync(ct)).Where(c => PairWorkflow.IsActive(c.Status)).ToList();
        foreach (var cohort in cohorts)
        {
            var terms = PairTerms.For(cohort);
            foreach (var due in await store.DuePairsAsync(cohort.Id, time.GetUtcNow(), ct))
            {
                var (_, decision) = await workflow.ApplyAsync(cohort.Id, due.Id, terms,
                    (pair, now) => pair.NextDueAt <= now ? PairDecider.DueEvent(pair) : null, "dispatcher", ct, known: due);
                transitions += decision is PairDecision.Accepted ? 1 : 0;
                if (decision is PairDecision.Accepted { Pair: var pair } && (pair.IsTerminal || pair.Status == PairStatus.Surveying))
                {
                    nearingTheEnd.Add(cohort.Id);
                }
            }
        }
        var (sent, waiting) = await sender.SendAsync(cohorts, ct);
        var closed = 0;
        foreach (var cohort in cohorts)
        {
            // Reading every pair is the expensive part of a tick, so it is done only when the cohort may have reached its end:
            // a pair entered its survey or ended in this tick, or nothing is scheduled any more (the last pair ended through a
            // request, or a crashed tick stopped between a pair's last transition and this check).
            if (nearingTheEnd.Contains(cohort.Id) || !await store.AnyPairScheduledAsync(cohort.Id, ct))
            {
                closed += await closer.CloseIfDoneAsync(cohort.Id, ct) ? 1 : 0;
            }
        }
        return new TickSummary(transitions, sent, waiting, closed);
    }
}

/// <summary>
/// Sends the pairs' pending emails and alerts, paced by the provider's quota, oldest first across all pairs (so no pair waits
/// behind another's backlog). An entry is claimed with an ETag-guarded write, sent, then removed; a failed send is retried
/// later with backoff; a claim left by a crashed sender expires. Message-IDs come from the idempotency keys.
/// </summary>
public sealed class PairOutboxSender(CosmosStore store, IEmailSender email, ResponseTokens links, SendingQuota quota, TimeProvider time, ILogger<PairOutboxSender> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly string _instance = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    public async Task<(int Sent, int Waiting)> SendAsync(IReadOnlyList<Cohort> cohorts, CancellationToken ct)
    {
        var work = new List<(Cohort Cohort, PairDocument Document, PendingMessage Message)>();
        foreach (var cohort in cohorts)
        {
            foreach (var document in await store.PairsWithOutboxAsync(cohort.Id, ct))
            {
                work.AddRange(document.Outbox.Select(m => (cohort, document, m)));
            }
        }
        var now = time.GetUtcNow();
        var ready = work
            .Where(w => IsReady(w.Message, now))
            .OrderBy(w => w.Message.CreatedAt).ThenBy(w => w.Document.Id, StringComparer.Ordinal).ThenBy(w => w.Message.Key, StringComparer.Ordinal)
            .ToList();
        var documents = ready.Select(w => w.Document).DistinctBy(d => d.Id).ToDictionary(d => d.Id);
        var people = new Dictionary<string, Dictionary<string, Participant>>();
        var wording = new Dictionary<string, TemplatesDocument>();
        var sent = 0;
        var granted = await quota.ReserveAsync(ready.Count, ct);
        if (granted < ready.Count)
        {
            Hosting.Observability.EmailsDeferred.Add(ready.Count - granted);
        }
        foreach (var (cohort, known, message) in ready.Take(granted))
        {
            if (!people.TryGetValue(cohort.Id, out var participants))
            {
                people[cohort.Id] = participants = (await store.ListParticipantsAsync(cohort.Id, ct)).ToDictionary(p => p.Id, p => p.Participant);
                wording[cohort.Id] = await store.ReadTemplatesAsync(cohort.Id, ct);
            }
            var (latest, ok) = await SendOneAsync(cohort, documents[known.Id], message.Key, participants, wording[cohort.Id], ct);
            if (latest is not null)
            {
                documents[known.Id] = latest;
            }
            sent += ok ? 1 : 0;
        }
        return (sent, ready.Count - granted);
    }

    private static bool IsReady(PendingMessage message, DateTimeOffset now) =>
        (message.State == OutboxState.Pending || message.ClaimedUntil <= now) && !(message.NotBefore > now);

    /// <summary>Claim (one write) → send → remove (one write, with the claim's ETag): the only duplicate window is between the last two.</summary>
    private async Task<(PairDocument? Latest, bool Sent)> SendOneAsync(Cohort cohort, PairDocument document, string key, Dictionary<string, Participant> people,
        TemplatesDocument wording, CancellationToken ct)
    {
        var claimed = await ChangeAsync(document, key, m => IsReady(m, time.GetUtcNow())
            ? m with { State = OutboxState.Claimed, ClaimedBy = _instance, ClaimedUntil = time.GetUtcNow() + Lease, Attempts = m.Attempts + 1 }
            : null, ct);
        if (claimed is null)
        {
            return (null, false);
        }
        var message = claimed.Outbox.First(m => m.Key == key);
        try
        {
            await email.SendAsync(Compose(cohort, claimed, message, people, wording), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Pair message {Key} not sent (attempt {Attempt}): {Error}", key, message.Attempts, e.GetType().Name);
            var backoff = TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, message.Attempts)));
            var released = await ChangeAsync(claimed, key, m => m with
            {
                State = OutboxState.Pending, ClaimedBy = null, ClaimedUntil = null, NotBefore = time.GetUtcNow() + backoff, LastError = e.GetType().Name,
            }, ct);
            return (released, false);
        }
        return (await ChangeAsync(claimed, key, _ => null, ct, remove: true), true);
    }

    private EmailMessage Compose(Cohort cohort, PairDocument document, PendingMessage message, Dictionary<string, Participant> people, TemplatesDocument wording)
    {
        if (message.Alert is { } alert)
        {
            return PairEmails.Alert(cohort, document.Pair, message.Key, alert, message.Detail ?? "", document.History.Select(PairWorkflow.Describe));
        }
        var pair = document.Pair;
        return PairEmails.Compose(cohort, pair, message.Key, message.Email!.Value, message.Month, message.To,
            people[pair.Mentee.ParticipantId], people[pair.Mentor.ParticipantId], links, wording.Templates.GetValueOrDefault(message.Email.Value));
    }

    /// <summary>Changes one outbox entry of the document with IfMatch; on a lost race re-reads and tries again. Null when the entry is gone or the change declines.</summary>
    private async Task<PairDocument?> ChangeAsync(PairDocument? document, string key, Func<PendingMessage, PendingMessage?> change, CancellationToken ct, bool remove = false)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (document is null)
            {
                return null;
            }
            var entry = document.Outbox.FirstOrDefault(m => m.Key == key);
            if (entry is null)
            {
                return null;
            }
            var changed = remove ? null : change(entry);
            if (!remove && changed is null)
            {
                return null;
            }
            var outbox = remove ? document.Outbox.Where(m => m.Key != key).ToList() : document.Outbox.Select(m => m.Key == key ? changed! : m).ToList();
            if (await store.ReplacePairAsync(document with { Outbox = outbox }, ct) is { } written)
            {
                return written;
            }
            document = await store.ReadPairAsync(document.CohortId, document.Id, ct);
        }
        return null;
    }
}
