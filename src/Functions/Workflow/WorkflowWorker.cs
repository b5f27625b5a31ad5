using MentorFlow.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Workflow;

/// <summary>The local timer function: a dispatcher tick every <see cref="AppSettings.DispatchInterval"/> of the app's clock. In Azure a scheduled job runs the `tick` verb instead.</summary>
public sealed class WorkflowWorker(Dispatcher dispatcher, IOptions<AppSettings> settings, TimeProvider time, ILogger<WorkflowWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.RunDispatcher)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.Value.DispatchInterval, time);
        do
        {
            try
            {
                var summary = await dispatcher.TickAsync(stoppingToken);
                if (summary.Transitions + summary.EmailsSent + summary.CohortsClosed > 0)
                {
                    logger.LogInformation("Tick at {Now}: {Summary}", time.GetUtcNow(), summary);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The dispatcher tick failed; the next tick tries again");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
