using System.Net;
using System.Text.Json;
using Azure.Identity;
using MentorFlow.Functions.Hosting;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using Polly;

namespace MentorFlow.Functions.Store;

public static class CosmosSetup
{
    public const string PipelineName = "cosmos";

    public static IServiceCollection AddCosmosStore(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<CosmosSettings>>().Value;
            var injector = settings.InjectFaultRate > 0 ? new CosmosFaultInjector(settings.InjectFaultRate, seed: 7) : null;
            var counter = new CosmosOperationCounter();
            return new CosmosConnection(CreateClient(settings, injector, counter), settings.Database, injector, counter);
        });
        services.AddResiliencePipeline(PipelineName, (builder, context) =>
        {
            var settings = context.ServiceProvider.GetRequiredService<IOptions<CosmosSettings>>().Value;
            var transient = new PredicateBuilder()
                .Handle<CosmosException>(e => IsTransient(e.StatusCode))
                .Handle<HttpRequestException>()
                .Handle<TimeoutException>();
            builder.AddRetryAndBreaker(transient, new Resilience.Shape(settings.RetryAttempts, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5),
                FailureRatio: 0.8, MinimumThroughput: 50, Sampling: TimeSpan.FromSeconds(30), Break: TimeSpan.FromSeconds(10)),
                retryAfter: e => e is CosmosException { RetryAfter: { } after } ? after : null);
        });
        services.AddSingleton<CosmosStore>();
        return services;
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout
            or HttpStatusCode.Gone or (HttpStatusCode)449;

    private static CosmosClient CreateClient(CosmosSettings settings, CosmosFaultInjector? injector, CosmosOperationCounter counter)
    {
        var endpoint = new Uri(settings.Endpoint);
        var options = new CosmosClientOptions
        {
            ApplicationName = "MentorFlow",
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            UseSystemTextJsonSerializerWithOptions = Json.Configure(new JsonSerializerOptions()),
            MaxRetryAttemptsOnRateLimitedRequests = 9,
            MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.FromSeconds(30),
            EnableContentResponseOnWrite = true,
        };
        options.HttpClientFactory = () => new HttpClient(BuildHandler(endpoint, settings.AcceptLocalCertificate, injector, counter), disposeHandler: true);
        return string.IsNullOrEmpty(settings.Key)
            ? new CosmosClient(settings.Endpoint, new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrEmpty(settings.ManagedIdentityClientId) ? null : settings.ManagedIdentityClientId,
            }), options)
            : new CosmosClient(settings.Endpoint, settings.Key, options);
    }

    private static HttpMessageHandler BuildHandler(Uri endpoint, bool acceptLocalCertificate, CosmosFaultInjector? injector, CosmosOperationCounter counter)
    {
        // Connections are kept open between requests (a new one costs a TLS handshake on both sides) and let go after 30 s idle,
        // before a server's own idle timeout (the local one: 60 s) can close one under a request.
        var socketHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        if (acceptLocalCertificate)
        {
            // The local server's certificate is self-signed; it is accepted for that one loopback endpoint and nowhere else.
            socketHandler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || sender is System.Net.Security.SslStream { TargetHostName: var host }
                    && string.Equals(host, endpoint.Host, StringComparison.OrdinalIgnoreCase);
        }
        // Counted behind the fault injector: only requests that reached the server count.
        counter.InnerHandler = socketHandler;
        if (injector is null)
        {
            return counter;
        }
        injector.InnerHandler = counter;
        return injector;
    }
}

/// <summary>The one Cosmos client of the process and its database.</summary>
public sealed class CosmosConnection(CosmosClient client, string databaseName, CosmosFaultInjector? injector, CosmosOperationCounter counter) : IDisposable
{
    public CosmosOperationCounter Counter { get; } = counter;

    public CosmosClient Client { get; } = client;

    public Database Database => Client.GetDatabase(databaseName);

    public CosmosFaultInjector? Injector { get; } = injector;

    public Container Container(string name) => Client.GetContainer(databaseName, name);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Client.CreateDatabaseIfNotExistsAsync(databaseName, cancellationToken: cancellationToken);
        foreach (var name in Containers.All)
        {
            await Database.CreateContainerIfNotExistsAsync(new ContainerProperties(name, Containers.PartitionKeyPath) { IndexingPolicy = Containers.IndexingPolicy() },
                cancellationToken: cancellationToken);
        }
    }

    public void Dispose() => Client.Dispose();
}
