using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Durable;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The local Durable Task engine on the real Azurite: the SDK worker and client over gRPC to the sidecar hosting DTFx's
/// Azure Storage provider. The workflow clock is an orchestration on it; nobody ticks by hand here.
/// </summary>
public class DurableEngineTests
{
    [Fact]
    public async Task The_workflow_clock_orchestration_introduces_a_launched_cohorts_pairs_with_nobody_ticking_and_keeps_one_round_of_history()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-{Guid.NewGuid():N}"[..26];
        await using var app = new MentorFlowApp(stack, new Dictionary<string, string?>
        {
            ["Cosmos:Database"] = database,
            ["MentorFlow:RunDispatcher"] = "true",
            ["MentorFlow:DispatchInterval"] = "00:00:01",
            ["Durable:StorageConnectionString"] = stack.DurableConnectionString,
            ["Durable:TaskHub"] = "hub" + Guid.NewGuid().ToString("N")[..16],
        });
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
            await Task.Delay(500);
        }
        var client = app.Services.GetRequiredService<LocalDurableEngine>().Client!;
        var clock = await client.GetInstanceAsync(WorkflowClockOrchestration.InstanceId, getInputsAndOutputs: true);

        Assert.All(pairs, p => Assert.Equal("active", p!["status"]!.GetValue<string>()));
        Assert.NotNull(clock);
        Assert.Equal(OrchestrationRuntimeStatus.Running, clock!.RuntimeStatus);
        Assert.True(clock.ReadInputAs<int>() >= 1, "the clock has gone round at least once (ContinueAsNew with the round as input)");
    }
}

/// <summary>The engine's state is in Azurite: a host killed with SIGKILL and started again carries on with the same clock instance.</summary>
public class DurableEngineCrashTests
{
    [Fact]
    public async Task A_host_killed_with_SIGKILL_and_restarted_resumes_the_same_clock_instance_from_the_task_hub_and_the_workflow_moves_on()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-dur-{Guid.NewGuid():N}"[..26];
        var port = LocalStack.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MentorFlow__DispatchInterval"] = "00:00:01",
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
        using (var process = ChildApp.Start("serve", stack, database, environment, first.Enqueue))
        {
            Assert.True(await ChildApp.WaitUntilLiveAsync(process, client), string.Join('\n', first));
            var (before, _) = await Launch.CohortAsync(client, client, pairs: 1);
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

            Assert.True(await IntroducedAsync(after), string.Join('\n', second)); // the clock runs in the new host
            Assert.Contains(first, l => l.Contains("Started the workflow clock orchestration", StringComparison.Ordinal));
            Assert.DoesNotContain(second, l => l.Contains("Started the workflow clock orchestration", StringComparison.Ordinal)); // the killed host's instance, resumed
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }
    }
}

/// <summary>
/// Two hosts on one task hub (as two instances in Azure): one clock instance id between them — two starts at the same
/// moment may both go through, the later execution replacing the earlier one — and each email once.
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
            ["MentorFlow__DispatchInterval"] = "00:00:01",
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
            Assert.InRange(logs.Sum(log => log.Count(l => l.Contains("Started the workflow clock orchestration", StringComparison.Ordinal))), 1, 2);
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
