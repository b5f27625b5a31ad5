using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Workflow;

/// <summary>What one tick did; <c>Idle</c>: it found nothing due before the wake-up time and stopped after one point read.</summary>
public sealed record TickSummary(int Transitions, int EmailsSent, int EmailsWaiting, int CohortsClosed, int CohortTransitions = 0, bool Idle = false);

/// <summary>
/// The timer function: applies what each cohort's own schedule says is due (intake closing, reminders, a launch, the
/// digest); then, cohort by cohort (single-partition queries), the pairs whose next due time has passed; then lets a
/// cohort whose pairs have all ended close; then sends what the transitions put in the outboxes.
/// Any number of dispatchers may run at once: ETags keep each transition single. A cohort that fails is logged and
/// left for the next tick while the others carry on; the tick then fails, so that the platform records it.
/// </summary>
public sealed class Dispatcher(CosmosStore store, PairWorkflow pairs, CohortWorkflow cohorts, CohortFacts facts, Outbox outbox, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<Hosting.AppSettings> settings, ILogger<Dispatcher> logger)
{
    public Task<TickSummary> TickAsync(CancellationToken ct) => TickAsync(receipts: false, ct);

    /// <param name="receipts">
    /// Also send what participants' own documents owe (confirmations, receipts) in the same pass: the timer function and
    /// the `tick` verb do, where no background outbox runs; the local loop leaves them to the outbox worker.
    /// </param>
    /// <param name="ct">Stops the tick.</param>
    public async Task<TickSummary> TickAsync(bool receipts, CancellationToken ct)
    {
        // The tick's own writes do not move the wake-up time one by one: it sets it once, from what it leaves behind.
        WakeScope.Suppress();
        var wake = await store.ReadWakeAsync(ct);
        if (wake is { TickStartedAt: null } && wake.At > time.GetUtcNow())
        {
            return new TickSummary(0, 0, 0, 0, Idle: true);
        }
        var running = await store.WriteWakeAsync(
            (wake ?? WakeDocument.DueAt(time.GetUtcNow())) with { TickStartedAt = time.GetUtcNow(), Touched = false }, ct);
        var transitions = 0;
        var cohortTransitions = 0;
        var documents = new List<CohortDocument>();
        var nearingTheEnd = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<Exception>();
        foreach (var listed in await store.ListCohortsAsync(ct))
        {
            var document = listed;
            try
            {
                if (document.Cohort.NextDueAt <= time.GetUtcNow())
                {
                    var applied = await cohorts.ApplyAsync(document.Id, facts.DueEventAsync, "dispatcher", ct);
                    document = applied.Document ?? document;
                    cohortTransitions += applied.Decision is CohortDecision.Accepted ? 1 : 0;
                }
                if (document.Cohort.Status is CohortStatus.IntakeOpen or CohortStatus.IntakeClosed)
                {
                    await PurgeUnconfirmedAsync(document.Id, ct);
                }
                if (PairWorkflow.IsActive(document.Cohort.Status))
                {
                    var (applied, ending) = await AdvancePairsAsync(document.Cohort, ct);
                    transitions += applied;
                    // Reading every pair is the expensive part of a tick, so it is done only when the cohort may have reached its end:
                    // a pair entered its survey or ended in this tick, or nothing is scheduled any more (the last pair ended through a
                    // request, or a crashed tick stopped between a pair's last transition and this check).
                    if (ending || !await store.AnyPairScheduledAsync(document.Id, ct))
                    {
                        nearingTheEnd.Add(document.Id);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Cohort {CohortId} could not be advanced in this tick; the next tick tries again", document.Id);
                failures.Add(e);
            }
            documents.Add(document);
        }
        var sending = await outbox.SendAsync(documents, ct, receipts);
        var (sent, waiting) = sending;
        var nextEmail = sending.NextAt;
        var latest = documents.ToDictionary(d => d.Id);
        // Closing comes after the pairs' last emails went out, so that a closed cohort owes nothing but its report.
        var closed = new List<CohortDocument>();
        foreach (var document in documents.Where(d => nearingTheEnd.Contains(d.Id)))
        {
            var progressed = await cohorts.ApplyAsync(document.Id, async (_, _, token) => await facts.ProgressAsync(document.Id, token), "dispatcher", ct);
            if (progressed.Document is { } changed)
            {
                latest[changed.Id] = changed;
            }
            if (progressed.Document is { Cohort.Status: CohortStatus.Closed } now && document.Cohort.Status != CohortStatus.Closed)
            {
                closed.Add(now);
            }
        }
        if (closed.Count > 0)
        {
            var reporting = await outbox.SendAsync(closed, ct, receipts: false);
            (sent, waiting) = (sent + reporting.Sent, waiting + reporting.Waiting);
            nextEmail = WakeDocument.Earliest(nextEmail, reporting.NextAt);
        }
        if (failures.Count == 0)
        {
            await SetWakeAsync(running, await NextWakeAsync(latest.Values, nextEmail, ct), ct);
        }
        if (failures.Count > 0)
        {
            // The others carried on and their emails went out; the tick still fails, so that the platform records it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures.Count == 1 ? failures[0] : new AggregateException("Some cohorts could not be advanced in this tick.", failures));
        }
        return new TickSummary(transitions, sent, waiting, closed.Count, cohortTransitions);
    }

    /// <summary>
    /// When anything is next due, from what this tick leaves behind: each cohort's own schedule (and failing pairs' retries),
    /// its scheduled pairs' due times (one small query per running cohort), the purge of its unconfirmed registrations,
    /// and the emails left unsent — at the latest <see cref="Hosting.AppSettings.WakeAtLeastEvery"/> from now, so that even a
    /// wake-up a crashed request failed to record is late by that much at most.
    /// </summary>
    private async Task<DateTimeOffset> NextWakeAsync(IEnumerable<CohortDocument> documents, DateTimeOffset? nextEmail, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var next = WakeDocument.Earliest(now + settings.Value.WakeAtLeastEvery, nextEmail)!.Value;
        foreach (var document in documents)
        {
            next = WakeDocument.Earliest(next, document.ScheduledAt())!.Value;
            if (PairWorkflow.IsActive(document.Cohort.Status))
            {
                foreach (var due in await store.PairDueTimesAsync(document.Id, ct))
                {
                    next = WakeDocument.Earliest(next, DateTimeOffset.FromUnixTimeSeconds(due))!.Value;
                }
            }
            if (document.Cohort.Status is CohortStatus.IntakeOpen or CohortStatus.IntakeClosed)
            {
                foreach (var since in await store.UnconfirmedTimesAsync(document.Id, ct))
                {
                    next = WakeDocument.Earliest(next, DateTimeOffset.FromUnixTimeSeconds(since) + ParticipantDecider.ConfirmWithin)!.Value;
                }
            }
        }
        return next;
    }

    /// <summary>
    /// Ends the tick's mark with the next wake-up time. When a request touched the document meanwhile (it scheduled
    /// something this tick may not have seen), the earlier of the two times is kept.
    /// </summary>
    private async Task SetWakeAsync(WakeDocument? running, DateTimeOffset next, CancellationToken ct)
    {
        if (running is not null && await store.WriteWakeAsync(running with { At = next, TickStartedAt = null, Touched = false }, ct) is not null)
        {
            return;
        }
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var current = await store.ReadWakeAsync(ct);
            var at = WakeDocument.Earliest(next, current?.At)!.Value;
            if (await store.WriteWakeAsync((current ?? WakeDocument.DueAt(at)) with { At = at, TickStartedAt = null, Touched = false }, ct) is not null)
            {
                return;
            }
        }
        logger.LogWarning("The wake-up document kept changing; the next tick runs in full");
    }

    /// <summary>Registrations nobody confirmed within a week are deleted: an address typed in by someone else leaves no trace.</summary>
    private async Task PurgeUnconfirmedAsync(string cohortId, CancellationToken ct)
    {
        foreach (var stale in await store.UnconfirmedBeforeAsync(cohortId, time.GetUtcNow() - ParticipantDecider.ConfirmWithin, ct))
        {
            await store.DeleteParticipantAsync(cohortId, stale.Id, ct);
        }
    }

    private async Task<(int Transitions, bool NearingTheEnd)> AdvancePairsAsync(Cohort cohort, CancellationToken ct)
    {
        var terms = PairTerms.For(cohort);
        var transitions = 0;
        var nearingTheEnd = 0;
        // Each due pair is its own document with its own ETag: several are advanced at once, each transition still single.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Value.DispatchConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(await store.DuePairsAsync(cohort.Id, time.GetUtcNow(), ct), parallel, async (due, ct) =>
        {
            var failing = cohort.FailingPairs.GetValueOrDefault(due.Id);
            if (failing?.RetryAt > time.GetUtcNow())
            {
                return;
            }
            PairDecision? decision;
            try
            {
                (_, decision) = await pairs.ApplyAsync(cohort.Id, due.Id, terms,
                    (pair, now) => pair.NextDueAt <= now ? PairDecider.DueEvent(pair) : null, "dispatcher", ct, known: due, claim: outbox.ClaimedHere);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One pair's bad data or refused write never stops the others: it is recorded, retried with back-off, and
                // after a few failures in a row the admins are told once.
                logger.LogError(e, "Pair {PairId} of cohort {CohortId} could not be advanced", due.Id, cohort.Id);
                Hosting.Observability.PairsFailed.Add(1);
                var error = $"{e.GetType().Name}: {e.Message}";
                await cohorts.ApplyAsync(cohort.Id, new CohortEvent.PairFailed(due.Id, error.Length > 200 ? error[..200] : error), "dispatcher", ct);
                return;
            }
            if (failing is not null)
            {
                await cohorts.ApplyAsync(cohort.Id, new CohortEvent.PairRecovered(due.Id), "dispatcher", ct);
            }
            if (decision is PairDecision.Accepted accepted)
            {
                Interlocked.Increment(ref transitions);
                if (accepted.Pair.IsTerminal || accepted.Pair.Status == PairStatus.Surveying)
                {
                    Interlocked.Exchange(ref nearingTheEnd, 1);
                }
            }
        });
        return (transitions, nearingTheEnd == 1);
    }
}
