using System.Diagnostics;
using System.Globalization;
using MentorFlow.Functions.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace MentorFlow.Functions.Verbs;

/// <summary>
/// The `engine-ceiling` verb: what the Durable Task engine does on the configured storage (Azurite locally) with no
/// MentorFlow work in it — the ceiling a term's steps are measured against, in the same run of <c>./mentorflow bench workflow</c>.
/// <list type="number">
/// <item>Ceiling: --instances orchestrations on a task hub of their own, each a loop of one trivial activity per round
/// (<see cref="WorkflowOrchestration.RoundsPerExecution"/> rounds, then ContinueAsNew, as the pairs' orchestrations do), for
/// --seconds after a warm-up: activity steps a second, and storage transactions a step.</item>
/// <item>Idle: the same task hub with nothing to do, on the provider's own lease settings (as in Azure) and --idle-polling
/// (host.json's ten seconds by default): storage transactions a minute.</item>
/// </list>
/// </summary>
public static class EngineCeiling
{
    public static async Task<int> RunAsync(string[] args)
    {
        var instances = int.Parse(VerbArgs.Option(args, "--instances") ?? "100", CultureInfo.InvariantCulture);
        var seconds = double.Parse(VerbArgs.Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var idleSeconds = double.Parse(VerbArgs.Option(args, "--idle-seconds") ?? "60", CultureInfo.InvariantCulture);
        var idlePolling = TimeSpan.Parse(VerbArgs.Option(args, "--idle-polling") ?? "00:00:10", CultureInfo.InvariantCulture);
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables()
            .AddCommandLine(VerbArgs.Without(args, "--instances", "--seconds", "--idle-seconds", "--idle-polling")).Build();
        var settings = configuration.GetSection(DurableSettings.Section).Get<DurableSettings>() ?? new DurableSettings();
        if (string.IsNullOrWhiteSpace(settings.StorageConnectionString))
        {
            await Console.Error.WriteLineAsync("engine-ceiling: Durable:StorageConnectionString is required (./mentorflow bench workflow sets it to Azurite).");
            return 2;
        }
        settings.TaskHub = $"ceiling{Guid.NewGuid():N}"[..20];
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var transactions = new StorageTransactions();
        var steps = 0L;
        var stop = 0;
        void Tasks(DurableTaskRegistry registry)
        {
            registry.AddOrchestratorFunc<int, int>("CeilingLoop", async (context, round) =>
            {
                for (var i = 0; i < WorkflowOrchestration.RoundsPerExecution; i++)
                {
                    if (!await context.CallActivityAsync<bool>("CeilingStep", round))
                    {
                        return round;
                    }
                }
                context.ContinueAsNew(round + 1);
                return round;
            });
            registry.AddActivityFunc<int, bool>("CeilingStep", (_, _) =>
            {
                Interlocked.Increment(ref steps);
                return Volatile.Read(ref stop) == 0;
            });
        }

        var (sidecar, worker) = await LocalDurableEngine.StartHostsAsync(settings, loggers, transactions, Tasks, CancellationToken.None);
        var client = worker.Services.GetRequiredService<DurableTaskClient>();
        var ids = Enumerable.Range(0, instances).Select(i => $"ceiling-{i:D4}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            await client.ScheduleNewOrchestrationInstanceAsync("CeilingLoop", 0, new StartOrchestrationOptions(id) { Version = settings.OrchestrationVersion }, ct));
        await Task.Delay(TimeSpan.FromSeconds(5)); // warm-up: every instance running, the queues' polling at full speed
        var (stepsBefore, storageBefore, clock) = (Interlocked.Read(ref steps), transactions.Snapshot(), Stopwatch.StartNew());
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var (stepsDone, storageUsed, elapsed) = (Interlocked.Read(ref steps) - stepsBefore, transactions.Snapshot().Since(storageBefore), clock.Elapsed.TotalSeconds);
        Interlocked.Exchange(ref stop, 1);
        var finished = 0;
        using (var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            foreach (var id in ids)
            {
                var state = await client.WaitForInstanceCompletionAsync(id, wait.Token);
                finished += state.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? 1 : 0;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT engine_instances={instances} engine_steps={stepsDone} engine_seconds={elapsed:0.0} engine_steps_per_s={stepsDone / elapsed:0.0} " +
            $"engine_storage_per_step={storageUsed.Total / (double)Math.Max(1, stepsDone):0.00} engine_finished={finished}"));
        await LocalDurableEngine.StopHostsAsync(sidecar, worker, CancellationToken.None);

        // Idle: the task hub with nothing in it, as a deployed app waits between a term's due times.
        settings.MaxQueuePollingInterval = idlePolling;
        (sidecar, worker) = await LocalDurableEngine.StartHostsAsync(settings, loggers, transactions, Tasks, CancellationToken.None, localLeases: false);
        await Task.Delay(idlePolling * 3); // the polling backs off to its longest interval
        var idleBefore = transactions.Snapshot();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
        var idle = transactions.Snapshot().Since(idleBefore);
        var perMinute = 60 / idleClock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT idle_polling_s={idlePolling.TotalSeconds:0} idle_seconds={idleClock.Elapsed.TotalSeconds:0} idle_per_min={idle.Total * perMinute:0.0} " +
            $"idle_blob_per_min={idle.Blob * perMinute:0.0} idle_queue_per_min={idle.Queue * perMinute:0.0} idle_table_per_min={idle.Table * perMinute:0.0} partitions={settings.PartitionCount}"));
        await LocalDurableEngine.StopHostsAsync(sidecar, worker, CancellationToken.None);
        return 0;
    }
}
