using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;
using Microsoft.DurableTask;

namespace MentorFlow.Functions.Durable;

/// <summary>Which cohort (and pair) an orchestration drives; <c>AtOnce</c>: steps taken in a row without waiting (a clock moved past several due times).</summary>
public sealed record WorkflowInput(string CohortId, string? PairId = null, int AtOnce = 0);

/// <summary>
/// What one step left behind, on the application's clock: when the document is next due (null: nothing is scheduled; an
/// event wakes it), the clock's time at the step, and whether the orchestration's work is over; and when (real time) the
/// step began reading, so that whoever woke it knows the step saw their change.
/// </summary>
public sealed record WorkflowStep(DateTimeOffset? NextDueAt, DateTimeOffset Now, bool Done, DateTimeOffset Began);

/// <summary>
/// The orchestration's custom status while it waits: when (real time) its last step began, the due time it waits for, and the
/// orchestration version it runs on (it keeps the version it started with across ContinueAsNew; new instances take the
/// worker's). A wake-up raised before <c>Began</c> has been answered: the step read the documents and the clock after it.
/// </summary>
public sealed record WorkflowWaiting(DateTimeOffset Began, DateTimeOffset? Until, string? Version = null);

/// <summary>The instance ids: one orchestration per cohort, one per pair; a pair's id starts with its cohort's prefix.</summary>
public static class InstanceIds
{
    public static string Cohort(string cohortId) => $"cohort:{cohortId}";

    public static string Pair(string cohortId, string pairId) => $"{PairsOf(cohortId)}{pairId}";

    public static string PairsOf(string cohortId) => $"pair:{cohortId}:";
}

/// <summary>
/// The one shape of every MentorFlow orchestration: apply what is due through an activity (which runs the pure decider and
/// writes Cosmos DB with the ETag), then wait for the next due time — a durable timer, computed from the application's
/// clock so that the dev clock and the tests move it — or for a <see cref="Wake"/> event (a request changed the document,
/// the dev clock moved, a pair ended), and start again as new: the history never holds more than one step.
/// Deterministic: the only inputs are the activity's result, the timer and the events.
/// </summary>
public abstract class WorkflowOrchestration : TaskOrchestrator<WorkflowInput, string>
{
    public const string Wake = "wake";

    /// <summary>How long an orchestration whose step failed (Cosmos DB unreachable past Polly's retries) waits before trying again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest an orchestration waits without looking at its document (a paused pair, a far due time): a wake-up the
    /// engine dropped (it can drop an event that arrives together with the end of an execution) costs at most this delay.
    /// </summary>
    public static readonly TimeSpan LookAtLeastEvery = TimeSpan.FromDays(1);

    /// <summary>Steps in a row without waiting, at most: a term's twelve due times passed by one jump of the clock, and some.</summary>
    public const int MaxAtOnce = 40;

    /// <summary>Rounds (step, then wait) one execution holds before it continues as new: a short history, and no extra episode a round.</summary>
    public const int RoundsPerExecution = 8;

    protected abstract string Activity { get; }

    /// <summary>What the orchestration does when its work is over.</summary>
    protected virtual void Ended(TaskOrchestrationContext context, WorkflowInput input)
    {
    }

    public override async Task<string> RunAsync(TaskOrchestrationContext context, WorkflowInput input)
    {
        // One event task at a time, kept across rounds until an event completes it: an abandoned one would swallow the next
        // event. Events that arrive together are answered by one step (the step reads the documents afresh, so it sees every
        // change that any of them announced).
        Task<long>? woken = null;
        var atOnce = input.AtOnce;
        for (var round = 1; ; round++)
        {
            WorkflowStep? step = null;
            try
            {
                step = await context.CallActivityAsync<WorkflowStep>(Activity, input);
            }
            catch (TaskFailedException)
            {
                // The activity logged why; the timer below tries again.
            }
            // A failed step is marked as of this episode: the failure is its answer, and the timer below tries again.
            var began = step?.Began ?? new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
            if (step is { Done: true })
            {
                context.SetCustomStatus(new WorkflowWaiting(began, null, context.Version));
                Ended(context, input);
                return "done";
            }
            var wait = step is null ? RetryAfterFailure : step.NextDueAt is { } due ? due - step.Now : LookAtLeastEvery;
            if (wait <= TimeSpan.Zero && atOnce < MaxAtOnce)
            {
                atOnce++; // due already (a clock moved past several due times): the next step at once
            }
            else
            {
                atOnce = 0;
                // A step that leaves its document due at once, again and again, is not making progress: it waits like a failed one.
                wait = wait <= TimeSpan.Zero ? RetryAfterFailure : wait < LookAtLeastEvery ? wait : LookAtLeastEvery;
                context.SetCustomStatus(new WorkflowWaiting(began, step?.NextDueAt, context.Version));
                using var stop = new CancellationTokenSource();
                woken ??= context.WaitForExternalEvent<long>(Wake);
                var timer = context.CreateTimer(context.CurrentUtcDateTime + wait, stop.Token);
                if (await Task.WhenAny(woken, timer) == woken)
                {
                    woken = null;
                    stop.Cancel();
                }
            }
            if (round >= RoundsPerExecution)
            {
                // Starting again as new keeps the history to a few rounds (events still waiting are carried over).
                context.ContinueAsNew(input with { AtOnce = atOnce });
                return "next";
            }
        }
    }
}

/// <summary>One pair from its introduction to the end of its closing survey; when it ends, it tells its cohort.</summary>
public sealed class PairOrchestration : WorkflowOrchestration
{
    protected override string Activity => nameof(AdvancePair);

    protected override void Ended(TaskOrchestrationContext context, WorkflowInput input) =>
        context.SendEvent(InstanceIds.Cohort(input.CohortId), Wake, 0L);
}

/// <summary>One cohort from intake to the erasure of its personal data: intake closing, proposal reminders, launch, the digest, closing.</summary>
public sealed class CohortOrchestration : WorkflowOrchestration
{
    protected override string Activity => nameof(AdvanceCohort);
}

/// <summary>What the workflow's own steps did in this process since it started (the dev clock's and the tests' summary).</summary>
public sealed class WorkflowCounters
{
    private long _pairTransitions;
    private long _cohortTransitions;
    private long _emailsSent;
    private long _cohortsClosed;
    private long _steps;

    /// <summary>The activities' steps taken (pairs' and cohorts'), whether or not they changed anything: the engine's unit of work.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    public void Step() => Interlocked.Increment(ref _steps);

    public TickSummary Snapshot() => new((int)Interlocked.Read(ref _pairTransitions), (int)Interlocked.Read(ref _emailsSent), 0,
        (int)Interlocked.Read(ref _cohortsClosed), (int)Interlocked.Read(ref _cohortTransitions));

    public void PairTransition() => Interlocked.Increment(ref _pairTransitions);

    public void CohortTransition() => Interlocked.Increment(ref _cohortTransitions);

    public void CohortClosed() => Interlocked.Increment(ref _cohortsClosed);

    public void Sent(SendResult result) => Interlocked.Add(ref _emailsSent, result.Sent);
}

/// <summary>What the workflow did over a stretch of time: pair transitions, emails sent, emails held back by the quota, cohorts closed, cohort transitions.</summary>
public sealed record TickSummary(int Transitions, int EmailsSent, int EmailsWaiting, int CohortsClosed, int CohortTransitions = 0)
{
    public TickSummary Since(TickSummary before) => new(Transitions - before.Transitions, EmailsSent - before.EmailsSent, EmailsWaiting,
        CohortsClosed - before.CohortsClosed, CohortTransitions - before.CohortTransitions);
}

/// <summary>
/// A pair's step: the transition its schedule says is due (the decider, one ETag-guarded write that changes state, schedule,
/// outbox and history together), then its emails. A pair whose data a step cannot get past is recorded on its cohort and
/// retried with back-off (the admins are told after a few failures in a row); the others never wait for it.
/// </summary>
public sealed class AdvancePair(CosmosStore store, PairWorkflow pairs, CohortWorkflow cohorts, Outbox outbox, WorkflowCounters counters,
    TimeProvider time, ILogger<AdvancePair> logger) : TaskActivity<WorkflowInput, WorkflowStep>
{
    public const string By = "workflow";

    public override Task<WorkflowStep> RunAsync(TaskActivityContext context, WorkflowInput input) => StepAsync(input);

    /// <summary>The step itself, as the worker of either host calls it (the SDK's <see cref="RunAsync"/>, the Functions app's activity).</summary>
    public async Task<WorkflowStep> StepAsync(WorkflowInput input)
    {
        var ct = CancellationToken.None;
        var began = DateTimeOffset.UtcNow;
        counters.Step();
        WorkflowScope.Enter(InstanceIds.Pair(input.CohortId, input.PairId!));
        var cohort = await store.ReadCohortAsync(input.CohortId, ct);
        var document = cohort is null ? null : await store.ReadPairAsync(input.CohortId, input.PairId!, ct);
        if (cohort is null || document is null)
        {
            return new WorkflowStep(null, time.GetUtcNow(), Done: true, began);
        }
        if (!PairWorkflow.IsActive(cohort.Cohort.Status))
        {
            return new WorkflowStep(null, time.GetUtcNow(), document.Pair.IsTerminal, began);
        }
        var failing = cohort.Cohort.FailingPairs.GetValueOrDefault(document.Id);
        if (failing?.RetryAt > time.GetUtcNow())
        {
            return new WorkflowStep(failing.RetryAt, time.GetUtcNow(), Done: false, began);
        }
        PairDecision? decision;
        try
        {
            (document, decision) = await pairs.ApplyAsync(input.CohortId, input.PairId!, PairTerms.For(cohort.Cohort),
                (pair, now) => pair.NextDueAt <= now ? PairDecider.DueEvent(pair) : null, By, ct, known: document, claim: outbox.ClaimedHere);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Pair {PairId} of cohort {CohortId} could not be advanced", input.PairId, input.CohortId);
            Hosting.Observability.PairsFailed.Add(1);
            var error = $"{e.GetType().Name}: {e.Message}";
            var recorded = await cohorts.ApplyAsync(input.CohortId, new CohortEvent.PairFailed(input.PairId!, error.Length > 200 ? error[..200] : error), By, ct);
            var retryAt = recorded.Document?.Cohort.FailingPairs.GetValueOrDefault(input.PairId!)?.RetryAt;
            return new WorkflowStep(retryAt ?? time.GetUtcNow() + WorkflowOrchestration.RetryAfterFailure, time.GetUtcNow(), Done: false, began);
        }
        if (failing is not null)
        {
            await cohorts.ApplyAsync(input.CohortId, new CohortEvent.PairRecovered(input.PairId!), By, ct);
        }
        if (document is null)
        {
            return new WorkflowStep(null, time.GetUtcNow(), Done: true, began);
        }
        if (decision is PairDecision.Accepted)
        {
            counters.PairTransition();
        }
        if (document.Outbox.Count > 0)
        {
            counters.Sent(await outbox.SendPairAsync(cohort, document, ct));
        }
        return new WorkflowStep(document.Pair.Status == PairStatus.Paused ? null : document.Pair.NextDueAt, time.GetUtcNow(), document.Pair.IsTerminal, began);
    }
}

/// <summary>
/// A cohort's step: what its own schedule says is due (intake closing, reminders, the deadline notice, the launch and the
/// pairs' start, the digest, the erasure of personal data), the purge of registrations nobody confirmed, and its closing
/// once no pair has anything scheduled; then the notices it owes.
/// </summary>
public sealed class AdvanceCohort(CosmosStore store, CohortWorkflow cohorts, CohortFacts facts, Outbox outbox, WorkflowCounters counters,
    TimeProvider time) : TaskActivity<WorkflowInput, WorkflowStep>
{
    /// <summary>While intake runs, a cohort looks at least this often for registrations nobody confirmed (deleted a week on).</summary>
    public static readonly TimeSpan PurgeEvery = TimeSpan.FromDays(1);

    public override Task<WorkflowStep> RunAsync(TaskActivityContext context, WorkflowInput input) => StepAsync(input);

    /// <summary>The step itself, as the worker of either host calls it.</summary>
    public async Task<WorkflowStep> StepAsync(WorkflowInput input)
    {
        var ct = CancellationToken.None;
        var began = DateTimeOffset.UtcNow;
        counters.Step();
        WorkflowScope.Enter(InstanceIds.Cohort(input.CohortId));
        var document = await store.ReadCohortAsync(input.CohortId, ct);
        if (document is null)
        {
            return new WorkflowStep(null, time.GetUtcNow(), Done: true, began);
        }
        var was = document.Cohort.Status;
        if (document.Cohort.NextDueAt <= time.GetUtcNow())
        {
            var applied = await cohorts.ApplyAsync(document.Id, facts.DueEventAsync, AdvancePair.By, ct);
            document = applied.Document ?? document;
            if (applied.Decision is CohortDecision.Accepted)
            {
                counters.CohortTransition();
            }
        }
        var intake = document.Cohort.Status is CohortStatus.IntakeOpen or CohortStatus.IntakeClosed;
        if (intake)
        {
            foreach (var stale in await store.UnconfirmedBeforeAsync(document.Id, time.GetUtcNow() - ParticipantDecider.ConfirmWithin, ct))
            {
                await store.DeleteParticipantAsync(document.Id, stale.Id, ct);
            }
        }
        if (PairWorkflow.IsActive(document.Cohort.Status) && !await store.AnyPairScheduledAsync(document.Id, ct))
        {
            var progressed = await cohorts.ApplyAsync(document.Id, async (_, _, token) => await facts.ProgressAsync(document.Id, token), AdvancePair.By, ct);
            document = progressed.Document ?? document;
        }
        if (document.Cohort.Status == CohortStatus.Closed && was != CohortStatus.Closed)
        {
            counters.CohortClosed();
        }
        if (document.Outbox.Count > 0)
        {
            counters.Sent(await outbox.SendCohortAsync(document.Id, ct));
        }
        var now = time.GetUtcNow();
        var next = document.Cohort.NextDueAt; // a failing pair's retry is its own orchestration's timer
        if (intake && (next is null || next > now + PurgeEvery))
        {
            next = now + PurgeEvery;
        }
        return new WorkflowStep(next, now, Done: document.Cohort.Status == CohortStatus.Closed && next is null, began);
    }
}
