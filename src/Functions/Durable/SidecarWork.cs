using System.Collections;
using System.Reflection;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Durable;

/// <summary>
/// The sidecar's dispatchers (<see cref="TaskHubGrpcServer"/>, from the SDK's in-process test host, a preview), stopped by the
/// engine rather than by the sidecar. The sidecar waits for a work item's answer without end, and when its host stops it waits,
/// in an <c>async void</c> handler, up to an hour for every work item it holds; at the hour that handler throws, which ends the
/// process. A CI run died so: an hour after a test app had stopped with its worker holding a work item, the test process
/// crashed. Once the worker is stopped no answer can come, so <see cref="StopAsync"/> cancels every answer the sidecar waits
/// for (it then abandons those items to the provider, whose messages come back for the next host at once), stops the
/// dispatchers itself with a short patience, and leaves the handler nothing to do. A work item can also be held with no answer
/// to cancel: the sidecar keys its answers by instance and task id, so the second of two deliveries of one activity message has
/// none and is never answered; the patience is for those.
/// The sidecar keeps all this in private fields: they are named here, in this one place, and a field that is not there (another
/// version of the package) fails the first start with a message saying so, not a crash an hour later.
/// </summary>
internal sealed class SidecarWork(ILogger logger)
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
    private static readonly FieldInfo[] Pending = [Field(typeof(TaskHubGrpcServer), "pendingOrchestratorTasks"), Field(typeof(TaskHubGrpcServer), "pendingActivityTasks")];
    private static readonly FieldInfo Dispatchers = Field(typeof(TaskHubGrpcServer), "dispatcherHost");
    private static readonly MethodInfo StopDispatchers = Dispatchers.FieldType.GetMethod("StopAsync", [typeof(CancellationToken)])
        ?? throw Missing(Dispatchers.FieldType, "StopAsync(CancellationToken)");
    /// <summary>Each dispatcher of the sidecar's dispatcher host, with its count of the work items it holds.</summary>
    private static readonly (FieldInfo Dispatcher, FieldInfo Held)[] Counts = [.. ((string[])["orchestrationDispatcher", "activityDispatcher"])
        .Select(name => Field(Dispatchers.FieldType, name)).Select(dispatcher => (dispatcher, Field(dispatcher.FieldType, "currentWorkItems")))];

    private TaskHubGrpcServer? _server;

    /// <summary>The sidecar's one server, made by its host's services (registered as the factory of <see cref="TaskHubGrpcServer"/>).</summary>
    public TaskHubGrpcServer Create(IServiceProvider services) => _server = ActivatorUtilities.CreateInstance<TaskHubGrpcServer>(services);

    /// <summary>The work items the sidecar's dispatchers hold: fetched from the provider and not yet completed or abandoned.</summary>
    public int Outstanding
    {
        get
        {
            if (_server is not { } server || Dispatchers.GetValue(server) is not { } host)
            {
                return 0;
            }
            return Counts.Sum(count => (int)count.Held.GetValue(count.Dispatcher.GetValue(host))!);
        }
    }

    /// <summary>
    /// After the worker stopped and before the sidecar's host stops: cancels every answer the sidecar waits for, stops its
    /// dispatchers (they stop fetching, wait for the abandons, then stop the provider) within <paramref name="patience"/>, and
    /// turns the host's stopping handler into nothing. What is still held after it (an item without an answer, an abandon the
    /// store has not finished) is logged: its message comes back after its visibility timeout.
    /// </summary>
    public async Task StopAsync(IOptions<TaskHubGrpcServerOptions> options, TimeSpan patience)
    {
        if (_server is not { } server || Dispatchers.GetValue(server) is not { } host)
        {
            return; // no gRPC call ever reached the sidecar: it started no dispatcher
        }
        options.Value.Mode = TaskHubGrpcServerMode.ApiServerOnly; // the handler stops the dispatchers only in the other mode
        using var timeout = new CancellationTokenSource(patience);
        var stopping = (Task)StopDispatchers.Invoke(host, [timeout.Token])!;
        while (!stopping.IsCompleted)
        {
            CancelPending(server);
            await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }
        try
        {
            await stopping;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("The Durable Task sidecar still held {Count} work items {Patience} after its worker stopped; their messages come back after their visibility timeout",
                Outstanding, patience);
        }
    }

    private static void CancelPending(TaskHubGrpcServer server)
    {
        foreach (var field in Pending)
        {
            if (field.GetValue(server) is IDictionary waiting)
            {
                foreach (var answer in waiting.Values.Cast<object>().ToList())
                {
                    answer.GetType().GetMethod("TrySetCanceled", Type.EmptyTypes)!.Invoke(answer, null);
                }
            }
        }
    }

    private static FieldInfo Field(Type type, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.GetField(name, Private) is { } field)
            {
                return field;
            }
        }
        throw Missing(type, name);
    }

    private static InvalidOperationException Missing(Type type, string member) => new(
        $"The Durable Task sidecar ({type.Assembly.GetName().Name} {type.Assembly.GetName().Version}) has no {type.Name}.{member}: " +
        "SidecarWork (src/Functions/Durable/SidecarWork.cs) uses it to release a stopped worker's work items; update it for this version.");
}
