using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Durable;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The local Durable Task engine on the real Azurite: the SDK worker and client over gRPC to the sidecar hosting DTFx's
/// Azure Storage provider, on the real clock. One orchestration per cohort and one per pair; nobody ticks by hand here.
/// </summary>
public class DurableEngineTests
{
    [Fact]
    public async Task A_launched_cohorts_pairs_are_introduced_by_their_own_orchestrations_which_then_wait_on_a_durable_timer_for_their_next_due_time()
    {
        var stack = await LocalStack.GetAsync();
        await using var app = new MentorFlowApp(stack, MentorFlowApp.RunningTheWorkflow(stack));
        using var admin = app.Admin();
        using var anyone = app.CreateClient();
        var (cohortId, _) = await Launch.CohortAsync(admin, anyone, pairs: 2);

        JsonArray pairs = [];
        for (var attempt = 0; attempt < 120; attempt++)
        {
            pairs = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
            if (pairs.All(p => p!["status"]!.GetValue<string>() == "active"))
            {
                break;
            }
            await Task.Delay(250);
        }
        var client = await app.Services.GetRequiredService<DurableClients>().ReadyAsync(CancellationToken.None);
        var cohort = await client.GetInstanceAsync(InstanceIds.Cohort(cohortId), getInputsAndOutputs: true);

        Assert.All(pairs, p => Assert.Equal("active", p!["status"]!.GetValue<string>()));
        Assert.Equal(OrchestrationRuntimeStatus.Running, cohort?.RuntimeStatus);
        foreach (var pair in pairs)
        {
            var id = InstanceIds.Pair(cohortId, pair!["id"]!.GetValue<string>());
            WorkflowWaiting? waiting = null;
            for (var attempt = 0; attempt < 40 && waiting?.Until != pair["nextDueAt"]!.GetValue<DateTimeOffset>(); attempt++)
            {
                waiting = (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<WorkflowWaiting>();
                await Task.Delay(100);
            }
            // Introduced, the pair's orchestration waits for its first check-in: the due time its document holds.
            Assert.Equal(pair["nextDueAt"]!.GetValue<DateTimeOffset>(), waiting?.Until);
        }
    }
}

/// <summary>The engine's state is in Azurite: a host killed with SIGKILL and started again carries on with the same orchestrations.</summary>
public class DurableEngineCrashTests
{
    [Fact]
    public async Task A_host_killed_with_SIGKILL_and_restarted_resumes_the_same_orchestrations_from_the_task_hub_and_the_workflow_moves_on()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-dur-{Guid.NewGuid():N}"[..26];
        var port = LocalStack.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add(Apis.AdminKeyFilter.Header, MentorFlowApp.AdminKey);
        async Task<bool> IntroducedAsync(string cohortId)
        {
            for (var attempt = 0; attempt < 180; attempt++)
            {
                var pairs = (await client.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
                if (pairs.Count > 0 && pairs.All(p => p!["status"]!.GetValue<string>() == "active"))
                {
                    return true;
                }
                await Task.Delay(500);
            }
            return false;
        }

        var first = new System.Collections.Concurrent.ConcurrentQueue<string>();
        string before;
        using (var process = ChildApp.Start("serve", stack, database, environment, first.Enqueue))
        {
            Assert.True(await ChildApp.WaitUntilLiveAsync(process, client), string.Join('\n', first));
            (before, _) = await Launch.CohortAsync(client, client, pairs: 1);
            Assert.True(await IntroducedAsync(before), string.Join('\n', first));
            process.Kill(); // SIGKILL: nothing of the host's own shutdown runs
            await process.WaitForExitAsync();
        }
        var second = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var restarted = ChildApp.Start("serve", stack, database, environment, second.Enqueue);
        try
        {
            Assert.True(await ChildApp.WaitUntilLiveAsync(restarted, client), string.Join('\n', second));
            var (after, _) = await Launch.CohortAsync(client, client, pairs: 1);

            Assert.True(await IntroducedAsync(after), string.Join('\n', second)); // the orchestrations run in the new host
            // The killed host's pair and cohort orchestrations were found running in the task hub: none was started again.
            // (The new cohort's may be: it can be written before the engine, which starts beside the app, runs.)
            Assert.DoesNotContain(second, l => l.Contains("Starting the orchestration of pair", StringComparison.Ordinal) && l.Contains(before, StringComparison.Ordinal));
            Assert.Contains(second, l => l.Contains("The workflow's orchestrations run here", StringComparison.Ordinal));
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }
    }
}

/// <summary>
/// Two hosts on one task hub (as two instances in Azure): the orchestrations' work is shared between them through the
/// task hub's partitions, each pair's orchestration runs in one of them at a time, and each email goes once.
/// </summary>
public class DurableEngineTwoHostTests
{
    [Fact]
    public async Task Two_hosts_started_at_once_on_one_task_hub_advance_the_cohort_and_send_each_introduction_once()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-two-{Guid.NewGuid():N}"[..26];
        var ports = new[] { LocalStack.FreePort(), LocalStack.FreePort() };
        var logs = new[] { new System.Collections.Concurrent.ConcurrentQueue<string>(), new System.Collections.Concurrent.ConcurrentQueue<string>() };
        var hosts = ports.Select((port, i) => ChildApp.Start("serve", stack, database, new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, logs[i].Enqueue)).ToList();
        try
        {
            using var one = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[0]}") };
            using var two = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[1]}") };
            one.DefaultRequestHeaders.Add(Apis.AdminKeyFilter.Header, MentorFlowApp.AdminKey);
            Assert.True(await ChildApp.WaitUntilLiveAsync(hosts[0], one), string.Join('\n', logs[0]));
            Assert.True(await ChildApp.WaitUntilLiveAsync(hosts[1], two), string.Join('\n', logs[1]));
            var (cohortId, tag) = await Launch.CohortAsync(one, two, pairs: 3);
            JsonArray pairs = [];
            for (var attempt = 0; attempt < 120 && !(pairs.Count == 3 && pairs.All(p => p!["status"]!.GetValue<string>() == "active" && p["pendingMessages"]!.GetValue<int>() == 0)); attempt++)
            {
                await Task.Delay(500);
                pairs = (await one.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
            }
            var introductions = (await stack.Inbox.AllAsync()).Where(e => e.To.Any(t => t.Address.Contains(tag, StringComparison.Ordinal))
                && e.Subject.Contains("meet your", StringComparison.Ordinal)).ToList();

            Assert.All(pairs, p => Assert.Equal("active", p!["status"]!.GetValue<string>()));
            Assert.Equal(6, introductions.Count); // one to each person, none twice
            Assert.Equal(6, introductions.Select(e => e.MessageId).Distinct().Count());
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
                host.Dispose();
            }
        }
    }
}

/// <summary>
/// The sidecar stops the provider from an <c>async void</c> handler when its host stops: a host stopped before a worker connected
/// stopped a provider that never started, whose null reference then ended the whole process.
/// </summary>
public class DurableEngineStopTests
{
    [Fact]
    public async Task The_provider_the_sidecar_stops_is_stopped_only_once_started_a_second_stop_waits_for_the_first_and_a_failing_stop_does_not_escape()
    {
        var stack = await LocalStack.GetAsync();
        var provider = new DurableTask.AzureStorage.AzureStorageOrchestrationService(new DurableTask.AzureStorage.AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new DurableTask.AzureStorage.StorageAccountClientProvider(stack.DurableConnectionString),
            TaskHubName = $"stop{Guid.NewGuid():N}"[..16],
        });
        var guarded = ProviderGuard.Around(provider, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeSpan.FromMinutes(1));

        // The premise: the provider itself fails when stopped unstarted.
        await Assert.ThrowsAsync<NullReferenceException>(() => provider.StopAsync());
        await guarded.StopAsync();
        await guarded.StopAsync(isForced: true);
        // Other calls go through to the provider.
        Assert.Equal(provider.TaskOrchestrationDispatcherCount, guarded.TaskOrchestrationDispatcherCount);
        await guarded.CreateIfNotExistsAsync();
        await guarded.StartAsync();
        var stopping = guarded.StopAsync();
        Assert.Same(stopping, guarded.StopAsync(isForced: true)); // the sidecar's stop and the engine's: the second waits for the first
        await stopping;
        await guarded.DeleteAsync();
    }
}

/// <summary>
/// A host stopped while its worker holds a work item. The sidecar waited (an hour) for an answer that never comes before it
/// stopped its provider, so the provider went on polling the task hub's queues and renewing its leases long after the app was
/// gone; and at the hour its stopping handler threw, which ended the test process (a CI run was lost so).
/// </summary>
public class DurableEngineShutdownTests
{
    [Fact]
    public async Task A_host_stopped_while_its_worker_runs_an_activity_leaves_no_work_item_waiting_makes_no_storage_call_afterwards_and_the_next_host_finishes_it()
    {
        var stack = await LocalStack.GetAsync();
        var settings = new DurableSettings { StorageConnectionString = stack.DurableConnectionString, TaskHub = $"shut{Guid.NewGuid():N}"[..16] };
        var transactions = new StorageTransactions();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loggers = Microsoft.Extensions.Logging.LoggerFactory.Create(_ => { });
        // One orchestration calling one activity, whose body each host gives.
        static Action<Microsoft.DurableTask.DurableTaskRegistry> Holding(Func<Task<int>> held) => registry =>
        {
            registry.AddOrchestratorFunc<int, int>("Holds", async (context, _) => await context.CallActivityAsync<int>("Held", 0));
            registry.AddActivityFunc<int, int>("Held", (_, _) => held());
        };
        var (sidecar, worker) = await LocalDurableEngine.StartHostsAsync(settings, loggers, transactions, Holding(async () =>
        {
            running.TrySetResult();
            await release.Task;
            return 1;
        }), CancellationToken.None);
        var client = worker.Services.GetRequiredService<DurableTaskClient>();
        await client.ScheduleNewOrchestrationInstanceAsync("Holds", 0, new Microsoft.DurableTask.StartOrchestrationOptions("held") { Version = settings.OrchestrationVersion });
        await running.Task.WaitAsync(TimeSpan.FromMinutes(1));
        var work = sidecar.Services.GetRequiredService<SidecarWork>();
        var held = work.Outstanding;

        await LocalDurableEngine.StopHostsAsync(sidecar, worker, CancellationToken.None);
        var left = work.Outstanding;
        var stopped = transactions.Snapshot();
        // Longer than the provider's longest polling interval and its lease renewal: a provider still running calls storage in it.
        await Task.Delay(settings.MaxQueuePollingInterval * 3);
        var after = transactions.Snapshot().Since(stopped);
        release.TrySetResult();

        Assert.True(held > 0); // the premise: the sidecar waited on the worker's answer
        Assert.Equal(0, left);
        Assert.True(stopped.Queue > 0); // the premise: it did poll while it ran
        Assert.Equal(new StorageCount(0, 0, 0), after);

        // The abandoned activity went back to the task hub: the next host runs it and the orchestration finishes.
        (sidecar, worker) = await LocalDurableEngine.StartHostsAsync(settings, loggers, transactions, Holding(() => Task.FromResult(2)), CancellationToken.None);
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var done = await worker.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync("held", getInputsAndOutputs: true, patience.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal(2, done.ReadOutputAs<int>());
        }
        finally
        {
            await LocalDurableEngine.StopHostsAsync(sidecar, worker, CancellationToken.None);
        }
    }
}

/// <summary>
/// The sidecar never renews an activity's lock: an activity that ran longer than its queue message's visibility timeout (a
/// minute locally) had its message taken again while it ran (the provider refuses to run it twice, "is being processed
/// multiple times concurrently": the 50-pair cohort's launch did so on a loaded machine), and then the activity's own delete
/// of the message failed, leaving it in the queue for good. The engine renews the lock while the activity runs.
/// </summary>
public class DurableActivityLockTests
{
    [Fact]
    public async Task An_activity_that_runs_longer_than_its_queue_messages_visibility_timeout_runs_once_and_its_message_is_deleted()
    {
        var stack = await LocalStack.GetAsync();
        var settings = new DurableSettings { StorageConnectionString = stack.DurableConnectionString, TaskHub = $"lock{Guid.NewGuid():N}"[..16] };
        var visibility = TimeSpan.FromSeconds(3);
        var runs = 0;
        using var loggers = Microsoft.Extensions.Logging.LoggerFactory.Create(_ => { });
        var (sidecar, worker) = await LocalDurableEngine.StartHostsAsync(settings, loggers, new StorageTransactions(), registry =>
        {
            registry.AddOrchestratorFunc<int, int>("Long", async (context, _) => await context.CallActivityAsync<int>("Slow", 0));
            registry.AddActivityFunc<int, int>("Slow", async (_, _) =>
            {
                var run = Interlocked.Increment(ref runs);
                await Task.Delay(visibility * 4); // long enough for the message to come back three times over if its lock is not renewed
                return run;
            });
        }, CancellationToken.None, activityVisibility: visibility);
        try
        {
            var client = worker.Services.GetRequiredService<DurableTaskClient>();
            await client.ScheduleNewOrchestrationInstanceAsync("Long", 0, new Microsoft.DurableTask.StartOrchestrationOptions("long") { Version = settings.OrchestrationVersion });
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var done = await client.WaitForInstanceCompletionAsync("long", getInputsAndOutputs: true, patience.Token);
            await Task.Delay(visibility * 2); // a second run started late would show now

            var left = (await new Azure.Storage.Queues.QueueClient(stack.DurableConnectionString, $"{settings.TaskHub}-workitems").GetPropertiesAsync()).Value.ApproximateMessagesCount; // the invisible ones too

            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal(1, done.ReadOutputAs<int>());
            Assert.Equal(1, runs);
            // Its message is gone from the queue: unrenewed, the message had been taken again meanwhile, so the completed
            // activity's delete failed ("pop receipt did not match") and the message went round the queue for good.
            Assert.Equal(0, left);
        }
        finally
        {
            await LocalDurableEngine.StopHostsAsync(sidecar, worker, CancellationToken.None);
        }
    }
}

/// <summary>
/// Orchestration versioning on the engine: a worker on version 2 (<c>CurrentOrOlder</c>) finishes the pairs a version-1 worker
/// started, on version 1 (through their ContinueAsNew), while the pairs it starts itself run on version 2.
/// </summary>
public class DurableVersioningTests
{
    [Fact]
    public async Task Pairs_started_on_version_1_finish_on_it_under_a_version_2_worker_which_starts_its_own_pairs_on_version_2()
    {
        var stack = await LocalStack.GetAsync();
        var time = FakeClockApp.Clock();
        var database = $"mentorflow-ver-{Guid.NewGuid():N}"[..26];
        Dictionary<string, string?> On(string version) => new() { ["Cosmos:Database"] = database, ["Durable:OrchestrationVersion"] = version };
        string first;
        await using (var v1 = new FakeClockApp(stack, time, On("1")))
        {
            (first, _) = await Launch.CohortAsync(v1, pairs: 2);
            await v1.TickAsync(); // introduced: each pair's orchestration waits for its first check-in
        }
        await using var v2 = new FakeClockApp(stack, time, On("2"));
        var (second, _) = await Launch.CohortAsync(v2, pairs: 2);
        await v2.TickAsync();
        var client = await v2.App.Services.GetRequiredService<DurableClients>().ReadyAsync(CancellationToken.None);
        async Task<List<(string Cohort, string Status, string? Version)>> PairsAsync()
        {
            var result = new List<(string, string, string?)>();
            foreach (var cohort in new[] { first, second })
            {
                foreach (var pair in (await v2.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohort}/pairs"))!)
                {
                    var instance = await client.GetInstanceAsync(InstanceIds.Pair(cohort, pair!["id"]!.GetValue<string>()), getInputsAndOutputs: true);
                    result.Add((cohort, pair["status"]!.GetValue<string>(), instance?.ReadCustomStatusAs<WorkflowWaiting>()?.Version));
                }
            }
            return result;
        }
        // A pair that has just continued as new reports no status until its first step of the new execution is done: wait
        // until each has reported one (the step runs on the version the instance keeps), a minute at most.
        var waiting = await PairsAsync();
        for (var deadline = DateTimeOffset.UtcNow.AddMinutes(1); waiting.Any(p => p.Version is null) && DateTimeOffset.UtcNow < deadline;)
        {
            await Task.Delay(200);
            waiting = await PairsAsync();
        }

        // The term, a month at a time: check-ins nobody answers, the survey, the end (more rounds than one execution holds).
        for (var month = 0; month < 14 && (await PairsAsync()).Any(p => p.Status != "completed"); month++)
        {
            time.Advance(TimeSpan.FromDays(31));
            await v2.TickAsync();
        }
        var ended = await PairsAsync();

        Assert.Equal(4, waiting.Count);
        Assert.All(waiting, p => Assert.Equal(p.Cohort == first ? "1" : "2", p.Version));
        Assert.All(ended, p => Assert.Equal("completed", p.Status));
        Assert.All(ended, p => Assert.Equal(p.Cohort == first ? "1" : "2", p.Version));
    }
}

