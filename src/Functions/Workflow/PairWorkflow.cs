using MentorFlow.Functions.Store;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// The fixed rhythm of every pair transition: read the document with its ETag → decide → one replace with IfMatch that
/// changes state, schedule, outbox and history together. A lost race re-reads and decides again.
/// </summary>
public sealed class PairWorkflow(CosmosStore store, TimeProvider time)
{
    public async Task<(PairDocument? Document, PairDecision? Decision)> ApplyAsync(
        string cohortId, string pairId, PairTerms terms, Func<Pair, DateTimeOffset, PairEvent?> eventFor, string by, CancellationToken ct,
        PairDocument? known = null, Func<PendingMessage, PendingMessage>? claim = null)
    {
        var document = known;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            document ??= await store.ReadPairAsync(cohortId, pairId, ct);
            if (document is null)
            {
                return (null, null);
            }
            var now = time.GetUtcNow();
            if (eventFor(document.Pair, now) is not { } @event)
            {
                return (document, null);
            }
            var decision = PairDecider.Decide(document.Pair, @event, terms, now);
            if (decision is not PairDecision.Accepted accepted)
            {
                return (document, decision);
            }
            if (accepted.Pair == document.Pair && accepted.Commands.Count == 0)
            {
                return (document, decision);
            }
            // A caller that sends right after (the dispatcher) claims the new messages in this same write: one write fewer per email.
            var outbox = document.Outbox.Concat(accepted.Commands.Select(c => ToMessage(c, now)).Select(m => claim?.Invoke(m) ?? m)).ToList();
            var history = document.History.Append(new HistoryEntry(now, @event.GetType().Name, accepted.Summary, by)).ToList();
            var written = await store.ReplacePairAsync(document with { Pair = accepted.Pair, Outbox = outbox, History = history }, ct, previous: document);
            if (written is not null)
            {
                // Each alert opens a case the admins follow up (the outbox opens it too before it sends the alert: a crash between cannot lose it).
                foreach (var alert in accepted.Commands.OfType<PairCommand.AlertAdmins>())
                {
                    await store.OpenCaseAsync(AlertCase.Open(cohortId, alert.Key, AlertCase.KindOf(alert.Kind), pairId, alert.Month, alert.Detail, now), ct);
                }
                Hosting.Observability.Transitions.Add(1, new KeyValuePair<string, object?>("event", @event.GetType().Name));
                return (written, decision);
            }
            document = null;
        }
        throw new InvalidOperationException($"Pair {pairId} kept changing under ten attempts to update it.");
    }

    /// <summary>
    /// Adds a line to the pair's timeline that changes nothing else (an admin's message to them): not a decision, so no event,
    /// state or schedule; one ETag-guarded write, re-read on a lost race. False when the pair is gone.
    /// </summary>
    public async Task<bool> NoteAsync(string cohortId, string pairId, string @event, string summary, string by, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await store.ReadPairAsync(cohortId, pairId, ct) is not { } document)
            {
                return false;
            }
            var noted = document with { History = [.. document.History, new HistoryEntry(time.GetUtcNow(), @event, summary, by)] };
            if (await store.ReplacePairAsync(noted, ct, previous: document) is not null)
            {
                return true;
            }
        }
        throw new InvalidOperationException($"Pair {pairId} kept changing under ten attempts to note on it.");
    }

    private static PendingMessage ToMessage(PairCommand command, DateTimeOffset now) => command switch
    {
        PairCommand.SendEmail email => new PendingMessage(email.Key, email.Kind, null, email.Month, email.To, null, now),
        PairCommand.AlertAdmins alert => new PendingMessage(alert.Key, null, alert.Kind, alert.Month, [], alert.Detail, now),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown pair command."),
    };

    public static string Describe(HistoryEntry entry) => $"{entry.At:yyyy-MM-dd HH:mm} UTC — {entry.Summary} ({entry.By})";

    public static bool IsActive(Shared.Cohorts.CohortStatus status) =>
        status is Shared.Cohorts.CohortStatus.Launched or Shared.Cohorts.CohortStatus.Running or Shared.Cohorts.CohortStatus.Closing;
}
