using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Cohorts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace MentorFlow.Functions.Durable;

/// <summary>
/// The application's side of the Durable Task engine: starts a cohort's orchestration when the cohort is created and a
/// pair's when the pair is, wakes an orchestration when a request moved its document's due time earlier (or gave it
/// something to send), makes sure at start that every cohort and every unfinished pair has its orchestration running,
/// and — for the dev clock and the tests, whose clocks jump — wakes the cohorts and the pairs now due and waits until each has answered.
/// Where no engine runs in this host, the signals do nothing: the host that runs the workflow finds the work at its start.
/// </summary>
public sealed class WorkflowEngine(DurableClients clients, Microsoft.Extensions.Options.IOptions<DurableSettings> durable, IServiceProvider services, WorkflowCounters counters, ILogger<WorkflowEngine> logger)
    : IWorkflowSignals
{
    private static readonly OrchestrationRuntimeStatus[] Alive =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    private TickSummary _reported = new(0, 0, 0, 0);
    private readonly Lock _reporting = new();

    private DurableTaskClient? Client => clients.Current;

    public async Task CohortWrittenAsync(CohortDocument written, CohortDocument? previous, CancellationToken ct)
    {
        if (Client is not { } client || WorkflowScope.IsStepOf(InstanceIds.Cohort(written.Id)))
        {
            return;
        }
        if (previous is null)
        {
            await StartAsync(client, nameof(CohortOrchestration), new WorkflowInput(written.Id), InstanceIds.Cohort(written.Id), ct);
        }
        else if (written.WakesEarlierThan(previous))
        {
            WakeSoon(InstanceIds.Cohort(written.Id));
        }
    }

    public async Task PairWrittenAsync(PairDocument written, PairDocument? previous, CancellationToken ct)
    {
        var id = InstanceIds.Pair(written.CohortId, written.Id);
        if (Client is not { } client || WorkflowScope.IsStepOf(id))
        {
            return;
        }
        if (previous is null)
        {
            await StartAsync(client, nameof(PairOrchestration), new WorkflowInput(written.CohortId, written.Id), id, ct);
        }
        else if (written.WakesEarlierThan(previous))
        {
            WakeSoon(id);
        }
    }

    /// <summary>
    /// Raises the wake-up of <paramref name="id"/> after the request that wrote its document, not inside it: a wake-up is only
    /// ever "look now" (a lost one is made up by the orchestration's daily look and the outbox's timer), so the request answers
    /// once its writes are durable, and the wake-ups of a bulk action go out together — up to 16 at once, an id waiting once —
    /// instead of one after each write. Raising them inside the request tied a 20-pair bulk action to the engine's load
    /// (2.2 s at 400 pairs while the engine was busy; the writes themselves take tens of milliseconds).
    /// </summary>
    private void WakeSoon(string id)
    {
        if (!_toWake.TryAdd(id, 0))
        {
            return; // already waiting to be raised: one wake-up says "look now" for both writes
        }
        _wakes.Writer.TryWrite(id);
        if (Interlocked.CompareExchange(ref _raising, 1, 0) == 0)
        {
            _ = Task.Run(RaiseWakesAsync);
        }
    }

    private async Task RaiseWakesAsync()
    {
        await Parallel.ForEachAsync(_wakes.Reader.ReadAllAsync(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
        {
            _toWake.TryRemove(id, out var _);
            if (Client is not { } client)
            {
                return;
            }
            try
            {
                await WakeAsync(client, id, CancellationToken.None);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
            {
                // The engine is stopping: its orchestrations look again when it starts (EnsureAllAsync) and at their next timer.
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not wake {InstanceId}; it looks again at its next timer", id);
            }
        });
    }

    private readonly System.Threading.Channels.Channel<string> _wakes = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _toWake = new(StringComparer.Ordinal);
    private int _raising;

    /// <summary>
    /// Every cohort has its orchestration, and every unfinished pair of a running cohort its own: what a crash between a
    /// document's creation and its orchestration's start left behind is started here (and nothing runs twice: instance
    /// ids are the documents' ids, and a running instance is left alone).
    /// </summary>
    public async Task EnsureAllAsync(CancellationToken ct)
    {
        if (Client is not { } client)
        {
            return;
        }
        var store = services.GetRequiredService<CosmosStore>();
        await Parallel.ForEachAsync(await store.ListCohortsAsync(ct), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (cohort, token) => await EnsureCohortAsync(client, store, cohort, pairs: true, token));
    }

    /// <summary>
    /// Starts the cohort's orchestration (and, with <paramref name="pairs"/>, its unfinished pairs') where missing; returns the
    /// ids that should be running — of the pairs, with <paramref name="dueBy"/>, only those due by then or just started.
    /// </summary>
    private async Task<IReadOnlyList<string>> EnsureCohortAsync(DurableTaskClient client, CosmosStore store, CohortDocument cohort, bool pairs, CancellationToken ct,
        DateTimeOffset? dueBy = null)
    {
        var running = new List<string>();
        var existing = await InstancesAsync(client, InstanceIds.Cohort(cohort.Id), ct);
        if (cohort.Cohort.Status != CohortStatus.Closed || cohort.Cohort.NextDueAt is not null)
        {
            var id = InstanceIds.Cohort(cohort.Id);
            if (!existing.TryGetValue(id, out var state) || !Alive.Contains(state.RuntimeStatus))
            {
                await StartAsync(client, nameof(CohortOrchestration), new WorkflowInput(cohort.Id), id, ct);
            }
            running.Add(id);
        }
        if (pairs && PairWorkflow.IsActive(cohort.Cohort.Status))
        {
            var instances = await InstancesAsync(client, InstanceIds.PairsOf(cohort.Id), ct);
            foreach (var pair in (await store.ListPairsAsync(cohort.Id, ct)).Where(p => !p.Pair.IsTerminal))
            {
                var id = InstanceIds.Pair(cohort.Id, pair.Id);
                var started = false;
                if (!instances.TryGetValue(id, out var state) || !Alive.Contains(state.RuntimeStatus))
                {
                    logger.LogInformation("Starting the orchestration of pair {PairId} of cohort {CohortId}", pair.Id, cohort.Id);
                    await StartAsync(client, nameof(PairOrchestration), new WorkflowInput(cohort.Id, pair.Id), id, ct);
                    started = true;
                }
                if (started || dueBy is not { } by || pair.DueAt <= by.ToUnixTimeSeconds())
                {
                    running.Add(id);
                }
            }
        }
        return running;
    }

    /// <summary>
    /// After a clock jump (the dev clock, a test's fake clock): wakes every cohort's orchestration, then every pair that is
    /// due on the moved clock, then the cohorts again (a cohort closes after its last pair ends), each time waiting until
    /// every one woken has taken a step that began after the wake-up (its status says when); then sends what is left in the
    /// outboxes. A pair not yet due is left to sleep: the jump that makes it due wakes it (every jump ends in a catch-up), so
    /// a term costs each pair its own steps, not a step per jump — waking every pair at every jump made a term's steps grow
    /// with the square of its pairs.
    /// Returns what the workflow did in this process since the previous catch-up (or the start).
    /// </summary>
    public async Task<TickSummary> CatchUpAsync(CancellationToken ct)
    {
        if (!services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.AppSettings>>().Value.RunWorkflow)
        {
            throw new InvalidOperationException("The workflow does not run in this host (MentorFlow:RunWorkflow is false).");
        }
        var client = await clients.ReadyAsync(ct);
        var store = services.GetRequiredService<CosmosStore>();
        var clockNow = services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var phase in new[] { "cohorts", "pairs", "cohorts" })
        {
            var raisedAt = DateTimeOffset.UtcNow;
            var woken = new List<string>();
            foreach (var cohort in await store.ListCohortsAsync(ct))
            {
                // The cohorts' phases read no pair: only the pairs' phase lists them.
                var ids = await EnsureCohortAsync(client, store, cohort, pairs: phase == "pairs", ct, dueBy: clockNow);
                woken.AddRange(ids.Where(id => id.StartsWith(phase == "pairs" ? "pair:" : "cohort:", StringComparison.Ordinal)));
            }
            await Task.WhenAll(woken.Select(id => WakeAsync(client, id, ct)));
            await SettledAsync(client, woken, raisedAt, ct);
        }
        var outbox = services.GetRequiredService<Outbox>();
        var left = await outbox.SendAsync(await store.ListCohortsAsync(ct), ct, receipts: false);
        counters.Sent(left);
        lock (_reporting)
        {
            var now = counters.Snapshot();
            var since = now.Since(_reported) with { EmailsWaiting = left.Waiting };
            _reported = now;
            return since;
        }
    }

    /// <summary>Waits until each instance has taken a step that began after <paramref name="raisedAt"/>, or finished; a minute without progress is an error naming them.</summary>
    private static async Task SettledAsync(DurableTaskClient client, IReadOnlyList<string> ids, DateTimeOffset raisedAt, CancellationToken ct)
    {
        var waiting = ids.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        var seen = new Dictionary<string, OrchestrationMetadata>(StringComparer.Ordinal);
        var quiet = 0;
        while (waiting.Count > 0)
        {
            var left = waiting.Count;
            foreach (var prefix in waiting.Select(Prefix).Distinct(StringComparer.Ordinal).ToList())
            {
                foreach (var (id, state) in await InstancesAsync(client, prefix, ct))
                {
                    seen[id] = state;
                    if (waiting.Contains(id) && (!Alive.Contains(state.RuntimeStatus)
                        || (state.RuntimeStatus == OrchestrationRuntimeStatus.Running && state.ReadCustomStatusAs<WorkflowWaiting>() is { } status && status.Began >= raisedAt)))
                    {
                        waiting.Remove(id);
                    }
                }
            }
            if (waiting.Count < left)
            {
                deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
                quiet = 0;
            }
            else if (++quiet % 40 == 0)
            {
                // Two seconds without an answer: the wake-up is raised again (an event that reached an instance together with
                // the end of its execution can be dropped by the engine; a wake-up is only ever "look now", so twice is harmless).
                await Task.WhenAll(waiting.Select(id => WakeAsync(client, id, ct)));
            }
            else if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"These orchestrations did not answer the wake-up of {raisedAt:HH:mm:ss.fff} in a minute: {string.Join(", ", waiting.Take(10).Select(id => $"{id} ({Describe(seen.GetValueOrDefault(id))})"))}.");
            }
            if (waiting.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
            }
        }
    }

    private static string Describe(OrchestrationMetadata? state) => state is null ? "not found"
        : $"{state.RuntimeStatus} {state.SerializedCustomStatus} created {state.CreatedAt:HH:mm:ss.fff} updated {state.LastUpdatedAt:HH:mm:ss.fff} input {state.SerializedInput}";

    private static string Prefix(string id) => id.StartsWith("pair:", StringComparison.Ordinal) ? id[..(id.LastIndexOf(':') + 1)] : id;

    private static async Task<Dictionary<string, OrchestrationMetadata>> InstancesAsync(DurableTaskClient client, string prefix, CancellationToken ct)
    {
        var found = new Dictionary<string, OrchestrationMetadata>(StringComparer.Ordinal);
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = true, PageSize = 1000 }).WithCancellation(ct))
        {
            found[instance.InstanceId] = instance;
        }
        return found;
    }

    private async Task StartAsync(DurableTaskClient client, string orchestrator, WorkflowInput input, string id, CancellationToken ct)
    {
        try
        {
            // The version named here, not left to the client's default: the Functions host's client and the local one start
            // instances on the same version (host.json's defaultVersion is the same value; a test holds them together).
            var options = new StartOrchestrationOptions(id) { Version = durable.Value.OrchestrationVersion }.WithDedupeStatuses(Alive);
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, options, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!await IsAliveAsync(client, id, ct))
            {
                throw;
            }
            // Another host (or request) started it first: it runs, which is all that was asked.
        }
    }

    private static async Task<bool> IsAliveAsync(DurableTaskClient client, string id, CancellationToken ct) =>
        await client.GetInstanceAsync(id, ct) is { } state && Alive.Contains(state.RuntimeStatus);

    private static Task WakeAsync(DurableTaskClient client, string id, CancellationToken ct) =>
        client.RaiseEventAsync(id, WorkflowOrchestration.Wake, 0L, ct);
}

/// <summary>
/// The engine's client in this host, where there is one: the local engine's once it started, or in the Functions app the one the
/// Functions host binds to each invocation (<c>[DurableClient]</c>: there is no other way to reach its task hub from the worker).
/// </summary>
public sealed class DurableClients
{
    private DurableTaskClient? _current;
    private readonly TaskCompletionSource<DurableTaskClient> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DurableTaskClient? Current => Volatile.Read(ref _current);

    public void Use(DurableTaskClient client)
    {
        Volatile.Write(ref _current, client);
        _first.TrySetResult(client);
    }

    /// <summary>The client once there is one (the local engine starts beside the app).</summary>
    public Task<DurableTaskClient> ReadyAsync(CancellationToken ct) => _first.Task.WaitAsync(ct);
}
