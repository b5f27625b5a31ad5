using System.Collections.Concurrent;
using System.Reflection;
using DurableTask.Core;

namespace MentorFlow.Functions.Durable;

/// <summary>
/// The provider as the sidecar sees it, with what the sidecar (the SDK's in-process test host, a preview) leaves out:
/// <list type="bullet">
/// <item>It stops the provider from an <c>async void</c> handler of its host's stopping, so a failure there ends the process,
/// and the provider's stop fails (a null reference) when it never started, which is the case when the host stops before a
/// worker connected. Here a stop without a start is nothing, a failed stop is logged, and a second stop waits for the first
/// (the handler's graceful stop hands the partitions back while <see cref="LocalDurableEngine.StopHostsAsync(IHost?, IHost?, CancellationToken)"/>
/// stops it too).</item>
/// <item>It never renews an activity's lock, as DTFx's own dispatcher does: an activity that ran longer than the work-item
/// queue's visibility timeout had its message come back and ran a second time beside the first (the provider's "is being
/// processed multiple times concurrently"). Here each activity taken from the queue has its lock renewed every
/// <c>renewEvery</c> until it is completed or abandoned.</item>
/// </list>
/// </summary>
internal class ProviderGuard : DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private ILogger _logger = null!;
    private TimeSpan _renewEvery;
    private int _started;
    private Task? _stop;
    private readonly ConcurrentDictionary<string, Renewal> _renewing = new();

    /// <summary>An activity's lock being renewed: stopped by cancelling, over once <see cref="Running"/> ends.</summary>
    private sealed record Renewal(CancellationTokenSource Stop, Task Running);

    public static IOrchestrationService Around(IOrchestrationService inner, ILogger logger, TimeSpan renewEvery)
    {
        var guard = Create<IOrchestrationService, ProviderGuard>();
        var self = (ProviderGuard)(object)guard;
        self._inner = inner;
        self._logger = logger;
        self._renewEvery = renewEvery;
        return guard;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(method);
        switch (method.Name)
        {
            case nameof(IOrchestrationService.StartAsync):
                Interlocked.Exchange(ref _started, 1);
                break;
            case nameof(IOrchestrationService.StopAsync):
                // Both the sidecar's handler and StopHostsAsync stop it: the first stops it, and each caller waits for that stop.
                lock (_renewing)
                {
                    if (Interlocked.Exchange(ref _started, 0) == 1)
                    {
                        _stop = StopAsync(method, args);
                    }
                    return _stop ?? Task.CompletedTask;
                }
            case nameof(IOrchestrationService.LockNextTaskActivityWorkItem):
                return LockActivityAsync((Task<TaskActivityWorkItem>)Call(method, args)!);
            case nameof(IOrchestrationService.CompleteTaskActivityWorkItemAsync) or nameof(IOrchestrationService.AbandonTaskActivityWorkItemAsync):
                if (args?[0] is TaskActivityWorkItem done && _renewing.TryRemove(done.Id, out var renewal))
                {
                    return EndAsync(renewal, method, args);
                }
                break;
        }
        return Call(method, args);
    }

    private object? Call(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private async Task<TaskActivityWorkItem> LockActivityAsync(Task<TaskActivityWorkItem> locking)
    {
        var item = await locking;
        if (item is not null)
        {
            var stop = new CancellationTokenSource();
            _renewing[item.Id] = new Renewal(stop, RenewAsync(item, stop.Token));
        }
        return item!;
    }

    /// <summary>
    /// Completes or abandons an activity once its renewal is over: a renewal still under way would change the message's pop
    /// receipt under the delete, which then fails as an unrenewed one did.
    /// </summary>
    private async Task EndAsync(Renewal renewal, MethodInfo method, object?[]? args)
    {
        await EndRenewalAsync(renewal);
        await (Task)Call(method, args)!;
    }

    private static async Task EndRenewalAsync(Renewal renewal)
    {
        await renewal.Stop.CancelAsync();
        await renewal.Running; // it ends on the cancellation and throws nothing
        renewal.Stop.Dispose();
    }

    private async Task RenewAsync(TaskActivityWorkItem item, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_renewEvery, ct);
                await _inner.RenewTaskActivityWorkItemLockAsync(item);
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // completed, abandoned or stopped
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Renewing the lock of activity work item {WorkItem} failed; its message comes back after its visibility timeout", item.Id);
        }
    }

    private async Task StopAsync(MethodInfo method, object?[]? args)
    {
        foreach (var id in _renewing.Keys)
        {
            if (_renewing.TryRemove(id, out var renewal))
            {
                await EndRenewalAsync(renewal);
            }
        }
        try
        {
            await (Task)Call(method, args)!;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Stopping the Durable Task provider failed; its leases expire on their own");
        }
    }
}
