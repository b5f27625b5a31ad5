using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MentorFlow.Functions.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Durable;

/// <summary>Where the Durable Task engine keeps its state. Section <c>Durable</c>.</summary>
public sealed class DurableSettings
{
    public const string Section = "Durable";

    /// <summary>The Azure Storage account of the task hub: Azurite locally (<c>./mentorflow up</c> and the tests start it). Empty: no engine.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>The task hub's name (its queues, tables and blobs are prefixed with it).</summary>
    public string TaskHub { get; set; } = "mentorflow";

    /// <summary>How long an idle worker waits at most between looks at its queues (the provider's docs recommend ten seconds or less).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The task hub's partitions (control queues): how many hosts can share the orchestrations' episodes. Never change it under a running task hub.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>The version new orchestrations start on; running ones finish on the version they started with.</summary>
    public string OrchestrationVersion { get; set; } = "1";
}

/// <summary>
/// The Durable Task engine without the Functions host (which cannot run here): the SDK's gRPC sidecar (<see cref="TaskHubGrpcServer"/>,
/// from the in-process test host package: the one place its preview edges are handled) hosting DTFx's Azure Storage provider on
/// Azurite, on a loopback port of its own, and the SDK worker and client talking to it over gRPC exactly as to any sidecar —
/// the same orchestrator and activity classes as in Azure. Activities are resolved from the app's services. State lives in
/// the storage account: a host killed at any moment resumes from there. Started only where this host runs the workflow
/// (<see cref="AppSettings.RunWorkflow"/>).
/// </summary>
public sealed class LocalDurableEngine(IServiceProvider app, DurableClients clients, IOptions<DurableSettings> options, IOptions<AppSettings> appSettings,
    StorageTransactions transactions, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    /// <summary>The orchestrators and activities, by their class names: the Functions app has a function of each name (FunctionApp/WorkflowFunctions.cs).</summary>
    public static readonly IReadOnlyList<Type> Orchestrators = [typeof(PairOrchestration), typeof(CohortOrchestration)];

    /// <inheritdoc cref="Orchestrators"/>
    public static readonly IReadOnlyList<Type> Activities = [typeof(AdvancePair), typeof(AdvanceCohort)];

    private IHost? _sidecar;
    private IHost? _worker;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!appSettings.Value.RunWorkflow)
        {
            return Task.CompletedTask;
        }
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.StorageConnectionString))
        {
            throw new InvalidOperationException(
                "Durable:StorageConnectionString is required to run the workflow in this host (./mentorflow up starts Azurite and sets it), or set MentorFlow:RunWorkflow=false.");
        }
        // The engine starts beside the app, not before it answers: a slow or not yet started Azurite must not keep the pages and the
        // API from serving. Until it runs, the store's signals do nothing (what they missed is found by EnsureAllAsync once it runs)
        // and a catch-up waits for it.
        _running = Task.Run(() => RunAsync(settings, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(DurableSettings settings, CancellationToken ct)
    {
        var logger = loggers.CreateLogger<LocalDurableEngine>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartEngineAsync(settings, ct);
                break;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Starting the Durable Task engine on task hub {TaskHub} failed (attempt {Attempt}: {Error}); trying again",
                    settings.TaskHub, attempt, e.Message);
                await StopHostsAsync(CancellationToken.None);
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
            }
        }
        logger.LogInformation("The workflow's orchestrations run here, on task hub {TaskHub}", settings.TaskHub);
        try
        {
            // What a crash left between a document's creation and its orchestration's start is started now.
            await app.GetRequiredService<WorkflowEngine>().EnsureAllAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Starting the missing orchestrations failed; the next start or catch-up starts them");
        }
    }

    private async Task StartEngineAsync(DurableSettings settings, CancellationToken cancellationToken)
    {
        (_sidecar, _worker) = await StartHostsAsync(settings, loggers, transactions, registry =>
        {
            foreach (var orchestrator in Orchestrators)
            {
                registry.AddOrchestrator(orchestrator);
            }
            foreach (var activity in Activities)
            {
                registry.AddActivity(activity.Name, _ => (ITaskActivity)app.GetRequiredService(activity));
            }
        }, cancellationToken);
        clients.Use(_worker.Services.GetRequiredService<DurableTaskClient>());
    }

    /// <summary>
    /// The sidecar on the task hub of <paramref name="settings"/> (made here if missing) and a worker with <paramref name="tasks"/>
    /// connected to it, whose services hold the client. <paramref name="localLeases"/>: the short partition leases of a local host
    /// (a killed host is replaced in seconds); false: the provider's defaults, as in Azure.
    /// </summary>
    public static async Task<(IHost Sidecar, IHost Worker)> StartHostsAsync(DurableSettings settings, ILoggerFactory loggers, StorageTransactions transactions,
        Action<DurableTaskRegistry> tasks, CancellationToken cancellationToken, bool localLeases = true, TimeSpan? activityVisibility = null)
    {
        var address = $"http://127.0.0.1:{FreePort()}";
        var connection = settings.StorageConnectionString!;
        var blobs = new Azure.Storage.Blobs.BlobClientOptions();
        blobs.AddPolicy(transactions.Policy(StorageService.Blob), Azure.Core.HttpPipelinePosition.PerRetry);
        var queues = new Azure.Storage.Queues.QueueClientOptions();
        queues.AddPolicy(transactions.Policy(StorageService.Queue), Azure.Core.HttpPipelinePosition.PerRetry);
        var tables = new Azure.Data.Tables.TableClientOptions();
        tables.AddPolicy(transactions.Policy(StorageService.Table), Azure.Core.HttpPipelinePosition.PerRetry);
        var serviceSettings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(StorageServiceClientProvider.ForBlob(connection, blobs),
                StorageServiceClientProvider.ForQueue(connection, queues), StorageServiceClientProvider.ForTable(connection, tables)),
            TaskHubName = settings.TaskHub,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            PartitionCount = settings.PartitionCount,
            LoggerFactory = loggers,
        };
        if (localLeases)
        {
            // One host locally (or a few in tests): no app lease (it guards slot swaps in Azure), and short partition leases,
            // so that a host killed with SIGKILL is replaced within seconds, not the minute and a half of the defaults.
            serviceSettings.UseAppLease = false;
            serviceSettings.LeaseInterval = TimeSpan.FromSeconds(6);
            serviceSettings.LeaseRenewInterval = TimeSpan.FromSeconds(2);
            serviceSettings.LeaseAcquireInterval = TimeSpan.FromSeconds(2);
            // A message a killed host had taken off a queue comes back after this (5 minutes by default): an orchestration's
            // episode is milliseconds of work, so ten seconds is ample and a crash costs about that.
            serviceSettings.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(10);
            serviceSettings.WorkItemQueueVisibilityTimeout = activityVisibility ?? TimeSpan.FromSeconds(60); // renewed while the activity runs (ProviderGuard)
        }
        var service = new AzureStorageOrchestrationService(serviceSettings);
        // The sidecar's own CreateTaskHub call does not wait for the provider: the task hub is made here, before any worker connects.
        await service.CreateIfNotExistsAsync();
        var work = new SidecarWork(loggers.CreateLogger<LocalDurableEngine>()); // made now: the app's logger factory may be gone by the stop
        var sidecar = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders().Services.AddSingleton(loggers))
            .ConfigureWebHostDefaults(web =>
            {
                web.UseUrls(address);
                web.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
                web.ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton(ProviderGuard.Around(service, loggers.CreateLogger<LocalDurableEngine>(), serviceSettings.WorkItemQueueVisibilityTimeout / 2));
                    services.AddSingleton<IOrchestrationServiceClient>(service);
                    services.AddSingleton(work);
                    services.AddSingleton(work.Create);
                });
                web.Configure(host =>
                {
                    host.UseRouting();
                    host.UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>());
                });
            })
            .Build();
        await sidecar.StartAsync(cancellationToken);
        var worker = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders().Services.AddSingleton(loggers))
            .ConfigureServices(services =>
            {
                services.AddDurableTaskWorker(builder =>
                {
                    builder.AddTasks(tasks);
                    builder.UseGrpc(address);
                    builder.UseVersioning(new DurableTaskWorkerOptions.VersioningOptions
                    {
                        Version = settings.OrchestrationVersion,
                        DefaultVersion = settings.OrchestrationVersion,
                        MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
                        FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Reject,
                    });
                });
                services.AddDurableTaskClient(builder => builder.UseGrpc(address));
            })
            .Build();
        try
        {
            await worker.StartAsync(cancellationToken);
        }
        catch
        {
            await StopHostsAsync(sidecar, worker, CancellationToken.None);
            throw;
        }
        return (sidecar, worker);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            return; // disposed already (a test host disposed before it stopped): nothing runs
        }
        await _running.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        await StopHostsAsync(cancellationToken);
    }

    /// <summary>
    /// Stops the hosts this engine started, once: the first caller takes them (a stop and a dispose may overlap when a test
    /// host is disposed while it stops, and a second stop of the same hosts met a disposed sidecar), a later one finds none.
    /// </summary>
    private async Task StopHostsAsync(CancellationToken cancellationToken)
    {
        var (sidecar, worker) = (Interlocked.Exchange(ref _sidecar, null), Interlocked.Exchange(ref _worker, null));
        await StopHostsAsync(sidecar, worker, cancellationToken);
    }

    /// <summary>
    /// Stops and disposes the worker, then the sidecar (what <see cref="StartHostsAsync"/> started), then stops the provider
    /// itself. A work item the worker held when it stopped never gets an answer: the sidecar would wait for it an hour (its
    /// provider polling and renewing leases all that time) and then end the process, so the engine stops the sidecar's
    /// dispatchers itself (<see cref="SidecarWork"/>) and the items go back to the provider for the next host. A forced stop
    /// drops what is in memory: the messages stay in the queues for the next host.
    /// </summary>
    public static async Task StopHostsAsync(IHost? sidecar, IHost? worker, CancellationToken cancellationToken)
    {
        var provider = sidecar?.Services.GetService<IOrchestrationService>();
        var work = sidecar?.Services.GetService<SidecarWork>();
        if (worker is not null)
        {
            await worker.StopAsync(cancellationToken);
            worker.Dispose();
        }
        if (sidecar is not null)
        {
            if (work is not null)
            {
                await work.StopAsync(sidecar.Services.GetRequiredService<IOptions<TaskHubGrpcServerOptions>>(), TimeSpan.FromSeconds(2));
            }
            await sidecar.StopAsync(cancellationToken);
            sidecar.Dispose();
        }
        if (provider is not null)
        {
            await provider.StopAsync(isForced: true); // through ProviderGuard: once, and only if it started
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        if (_sidecar is not null || _worker is not null)
        {
            await StopHostsAsync(CancellationToken.None); // disposed without a stop (a test host): nothing may keep polling
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
