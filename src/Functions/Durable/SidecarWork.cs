using System.Collections;
using System.Reflection;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace MentorFlow.Functions.Durable;

/// <summary>
/// The work items the sidecar (<see cref="TaskHubGrpcServer"/>, from the SDK's in-process test host, a preview) handed its
/// worker and still waits on. The sidecar waits for a work item's answer without end, and when its host stops it waits, in an
/// <c>async void</c> handler, up to an hour for every such item; at the hour that handler throws, which ends the process. A CI
/// run died so: an hour after a test app had stopped with its worker holding a work item, the test process crashed. Once the
/// worker is stopped no answer can come, so <see cref="ReleaseAsync"/> cancels what is pending: the sidecar abandons those
/// items to the provider (their messages come back for the next host at once) and its stop has nothing left to wait for.
/// The sidecar keeps these in private fields: they are named here, in this one place, and a field that is not there (another
/// version of the package) fails the first start with a message saying so, not a crash an hour later.
/// </summary>
internal sealed class SidecarWork(ILogger logger)
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
    private static readonly FieldInfo[] Pending = [Field(typeof(TaskHubGrpcServer), "pendingOrchestratorTasks"), Field(typeof(TaskHubGrpcServer), "pendingActivityTasks")];
    private static readonly FieldInfo Dispatchers = Field(typeof(TaskHubGrpcServer), "dispatcherHost");

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
            var total = 0;
            foreach (var name in (string[])["orchestrationDispatcher", "activityDispatcher"])
            {
                var dispatcher = Field(host.GetType(), name).GetValue(host)!;
                total += (int)Field(dispatcher.GetType(), "currentWorkItems").GetValue(dispatcher)!;
            }
            return total;
        }
    }

    /// <summary>
    /// After the worker stopped: cancels every answer the sidecar waits for, until its dispatchers hold no work item (they abandon
    /// each to the provider, which must still run), or <paramref name="patience"/> passed (logged: the messages still come back,
    /// after their visibility timeout).
    /// </summary>
    public async Task ReleaseAsync(TimeSpan patience)
    {
        if (_server is not { } server)
        {
            return; // no gRPC call ever reached the sidecar: it handed out nothing
        }
        var until = DateTime.UtcNow + patience;
        while (true)
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
            if (Outstanding == 0)
            {
                return;
            }
            if (DateTime.UtcNow > until)
            {
                logger.LogWarning("The Durable Task sidecar still holds {Count} work items after its worker stopped; their messages come back after their visibility timeout", Outstanding);
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20));
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
        throw new InvalidOperationException(
            $"The Durable Task sidecar ({type.Assembly.GetName().Name} {type.Assembly.GetName().Version}) has no field {type.Name}.{name}: " +
            "SidecarWork (src/Functions/Durable/SidecarWork.cs) reads it to release a stopped worker's work items; update it for this version.");
    }
}
