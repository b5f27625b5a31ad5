using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Durable;

/// <summary>
/// The workflow's clock as a durable orchestration: advance what is due, then wait a dispatch interval (a durable timer),
/// and start again as new — so a host killed at any point picks up where the task hub says, and the history
/// never grows past one round.
/// </summary>
public sealed class WorkflowClockOrchestration : TaskOrchestrator<int, int>
{
    public const string InstanceId = "mentorflow-workflow-clock";

    public override async Task<int> RunAsync(TaskOrchestrationContext context, int round)
    {
        double waitSeconds;
        try
        {
            waitSeconds = await context.CallActivityAsync<double>(nameof(AdvanceDueWork));
        }
        catch (TaskFailedException)
        {
            waitSeconds = 30; // the activity logged why; the next round tries again
        }
        await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(waitSeconds), CancellationToken.None);
        context.ContinueAsNew(round + 1);
        return round;
    }

    /// <summary>Starts the task hub's one clock instance unless it runs (a second host, or a restarted one, finds it running).</summary>
    public static async Task EnsureRunningAsync(DurableTaskClient client, ILogger logger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = await client.GetInstanceAsync(InstanceId, ct);
                if (existing?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
                {
                    return;
                }
                // Refused if another host's start got there first (two hosts start at once): the next look finds it running.
                await client.ScheduleNewOrchestrationInstanceAsync(nameof(WorkflowClockOrchestration), 0,
                    new StartOrchestrationOptions(InstanceId).WithDedupeStatuses(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended), ct);
                logger.LogInformation("Started the workflow clock orchestration");
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 10)
            {
                // Another host started it between the look and the start, or the sidecar is still coming up: look again.
                logger.LogInformation("Starting the workflow clock (attempt {Attempt}): {Error}", attempt, e.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
    }
}

/// <summary>One round of the dispatcher (pairs, cohorts, outbox) on the app's clock; returns how long to wait, in seconds.</summary>
public sealed class AdvanceDueWork(Dispatcher dispatcher, IOptions<AppSettings> settings, TimeProvider time, ILogger<AdvanceDueWork> logger)
    : TaskActivity<object?, double>
{
    public override async Task<double> RunAsync(TaskActivityContext context, object? input)
    {
        var summary = await dispatcher.TickAsync(CancellationToken.None);
        if (summary.Transitions + summary.EmailsSent + summary.CohortsClosed > 0)
        {
            logger.LogInformation("Tick at {Now}: {Summary}", time.GetUtcNow(), summary);
        }
        return settings.Value.DispatchInterval.TotalSeconds;
    }
}

