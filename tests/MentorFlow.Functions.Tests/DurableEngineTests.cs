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
