using MentorFlow.Functions.Admin;
using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Durable;
using MentorFlow.Functions.Workflow;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Polly;
using Scalar.AspNetCore;

namespace MentorFlow.Functions.Hosting;

/// <summary>
/// Wires the app together, once for both hosts: the local host (<c>serve</c>: Kestrel, and the local Durable Task engine) and the
/// Azure Functions isolated worker (<see cref="FunctionApp.FunctionsWorker"/>), whose HTTP functions hand each request to the same
/// pipeline and endpoints (<see cref="UseMentorFlow"/>).
/// </summary>
public static class Composition
{
    public static IHostApplicationBuilder AddMentorFlow(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // First of the hosted services: the store's containers exist before anything (Data Protection's own start) reads the key ring.
        services.AddSingleton<StoreReadiness>();
        services.AddHostedService<CosmosInitializer>();
        services.AddOptions<CosmosSettings>().BindConfiguration(CosmosSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailSettings>().BindConfiguration(EmailSettings.Section).ValidateOnStart();
        var transport = builder.Configuration.GetValue<EmailTransport?>($"{EmailSettings.Section}:{nameof(EmailSettings.Transport)}") ?? EmailTransport.Smtp;
        var smtp = services.AddOptions<SmtpSettings>().BindConfiguration(SmtpSettings.Section);
        if (transport == EmailTransport.Smtp)
        {
            smtp.ValidateDataAnnotations().ValidateOnStart();
        }
        services.AddOptions<AppSettings>().BindConfiguration(AppSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CosmosSettings>, EnvironmentRules>();
        services.AddSingleton<IValidateOptions<AppSettings>, EnvironmentRules>();
        services.AddSingleton<IValidateOptions<SmtpSettings>, EnvironmentRules>();
        services.AddSingleton<IValidateOptions<AcsSettings>, EnvironmentRules>();

        builder.AddTelemetry();
        services.ConfigureHttpJsonOptions(options => Json.Configure(options.SerializerOptions));
        services.AddProblemDetails();
        services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<IdRouteConstraint>(Ids.Constraint));
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MentorFlow";
            document.Info.Description = "Structured mentorship cohorts for physician societies: intake, matching, launch, check-ins, report.";
            return Task.CompletedTask;
        }));
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);

        services.AddSingleton<ClientLimits>();

        services.AddAdminTokens();
        services.AddConsoleAccess(builder.Environment);
        services.AddRazorComponents();
        services.AddCosmosStore();
        if (transport == EmailTransport.AcsRest)
        {
            services.AddOptions<AcsSettings>().BindConfiguration(AcsSettings.Section).ValidateDataAnnotations().ValidateOnStart();
            services.AddResiliencePipeline(AcsEmailSender.PipelineName, (pipeline, context) =>
                AcsEmailSender.AddPipeline(pipeline, context.ServiceProvider.GetRequiredService<IOptions<AcsSettings>>().Value));
            services.AddHttpClient<IEmailSender, AcsEmailSender>(client => client.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<Azure.Core.TokenCredential>(sp =>
                sp.GetRequiredService<IOptions<AcsSettings>>().Value.ManagedIdentityClientId is { Length: > 0 } clientId
                    ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId))
                    : new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.SystemAssigned));
        }
        else
        {
            services.AddResiliencePipeline(SmtpEmailSender.PipelineName, (pipeline, context) =>
                SmtpEmailSender.AddPipeline(pipeline, context.ServiceProvider.GetRequiredService<IOptions<SmtpSettings>>().Value));
            services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }
        services.AddSingleton<Outbox>();
        services.AddHostedService<OutboxWorker>();

        services.AddDataProtection().SetApplicationName("MentorFlow");
        services.AddHttpClient(nameof(KeyVaultKeyWrap), client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(KeyRingProtection.Create);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new CosmosKeyRing(sp.GetRequiredService<CosmosStore>(), sp.GetRequiredService<StoreReadiness>());
            options.XmlEncryptor = new KeyRingEncryptor(sp.GetRequiredService<IKeyWrap>());
        }));
        services.AddSingleton<ResponseTokens>();
        services.AddSingleton<PairWorkflow>();
        services.AddSingleton<CohortTerms>();
        services.AddSingleton<SendingQuota>();
        services.AddSingleton<CohortWorkflow>();
        services.AddSingleton<ParticipantWorkflow>();
        services.AddSingleton<RegisteredAgainQueue>();
        services.AddHostedService<RegisteredAgainWorker>();
        services.AddSingleton<Erasure>();
        services.AddSingleton<CohortFacts>();
        services.AddOptions<DurableSettings>().BindConfiguration(DurableSettings.Section);
        services.AddSingleton<WorkflowCounters>();
        services.AddSingleton<StorageTransactions>();
        services.AddTransient<AdvancePair>();
        services.AddTransient<AdvanceCohort>();
        services.AddSingleton<DurableClients>();
        services.AddSingleton<LocalDurableEngine>();
        services.AddSingleton<WorkflowEngine>();
        services.AddSingleton<IWorkflowSignals>(sp => sp.GetRequiredService<WorkflowEngine>());
        services.AddHostedService(sp => sp.GetRequiredService<LocalDurableEngine>());
        if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>($"{AppSettings.Section}:{nameof(AppSettings.DevClock)}"))
        {
            services.AddSingleton<TimeProvider>(new DevClock(builder.Configuration.GetValue<TimeSpan>($"{AppSettings.Section}:DevClockOffset")));
        }
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// The app's request pipeline and every route, the one definition both hosts run: the local host on its own server, the
    /// Functions app inside each HTTP function (<see cref="FunctionApp.AppPipeline"/>). The middleware a <c>WebApplication</c> would add
    /// by itself (routing, authentication, authorization, antiforgery) is named here, so that both get the same.
    /// </summary>
    public static IApplicationBuilder UseMentorFlow(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var environment = services.GetRequiredService<IHostEnvironment>();
        var devClock = services.GetRequiredService<TimeProvider>() is DevClock;
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        if (services.GetService<Microsoft.AspNetCore.Authorization.IAuthorizationHandlerProvider>() is not null)
        {
            app.UseAuthorization();
        }
        app.UseAntiforgery();
        app.UseEndpoints(endpoints => endpoints.MapMentorFlow(environment, devClock));
        return app;
    }

    private static void MapMentorFlow(this IEndpointRouteBuilder app, IHostEnvironment environment, bool devClock)
    {
        app.MapHealthApi();
        app.MapGet(Pages.SiteStylesheet.Path, Pages.SiteStylesheet.Serve).ExcludeFromDescription();
        app.MapGet(Pages.CohortTheme.Route, Pages.CohortTheme.Serve).ExcludeFromDescription();
        app.MapGet(Shared.Cohorts.Logos.Route, Pages.CohortTheme.ServeLogo).ExcludeFromDescription();
        app.MapCohortsApi();
        app.MapIntakeApi();
        app.MapMatchingApi();
        app.MapPairsApi(devClock);
        app.MapResponseApi();
        app.MapRegistrationApi(development: environment.IsDevelopment());
        app.MapTemplatesApi();
        app.MapAuditApi();
        app.MapMessagesApi();
        app.MapRosterApi();
        app.MapProgramApi();
        app.MapAlertsApi();
        app.MapAdminConsole(devClock);
        // The API's own description: open in Development, behind the admin key (or an admin bearer token) elsewhere.
        var docs = app.MapGroup("").WithTags("Reference");
        if (environment.IsDevelopment())
        {
            // The reference works offline: its script is served by the app, and no web font is fetched from another host.
            app.MapScalarApiReference("/api/reference", options => options.DisableDefaultFonts());
        }
        else
        {
            docs.AddEndpointFilter<AdminKeyFilter>();
        }
        docs.MapOpenApi();
    }

    private static void TryAddSingleton<T>(this IServiceCollection services, T instance) where T : class
    {
        if (!services.Any(d => d.ServiceType == typeof(T)))
        {
            services.AddSingleton(instance);
        }
    }
}

/// <summary>
/// At start-up, before any request: creates the database and containers where configured (the local stack), waiting for the
/// server; then reads the Data Protection key ring.
/// </summary>
public sealed class CosmosInitializer(CosmosConnection connection, StoreReadiness readiness, IDataProtectionProvider protection, IOptions<CosmosSettings> settings,
    ILogger<CosmosInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Value.CreateResources)
        {
            await CreateResourcesAsync(cancellationToken);
        }
        readiness.MarkReady();
        // The Data Protection key ring is read (and, the first time, made) before any request: its store is reached through a
        // synchronous interface, and a burst of first requests each waiting on that read would hold every thread the pool has.
        try
        {
            await Task.Run(() => protection.CreateProtector("MentorFlow.Startup").Protect([1]), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("The key ring could not be read at start-up ({Error}); the first link read or made reads it", e.GetType().Name);
        }
    }

    private async Task CreateResourcesAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.EnsureCreatedAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < 30 && e is Microsoft.Azure.Cosmos.CosmosException or HttpRequestException)
            {
                logger.LogInformation("Waiting for Cosmos DB at start-up (attempt {Attempt}): {Error}", attempt, e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Production refuses development settings: a disabled certificate check, injected faults, or the demo admin key.</summary>
public sealed class EnvironmentRules(IHostEnvironment environment) : IValidateOptions<CosmosSettings>, IValidateOptions<AppSettings>, IValidateOptions<SmtpSettings>,
    IValidateOptions<AcsSettings>
{
    public ValidateOptionsResult Validate(string? name, AcsSettings options) =>
        !environment.IsDevelopment() && !IsHttps(options.Endpoint)
            ? ValidateOptionsResult.Fail("Acs:Endpoint must be https outside Development (the managed identity's token goes with every request).")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, SmtpSettings options) =>
        options.InjectFaultRate > 0 && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail("Smtp:InjectFaultRate is a test setting; it is refused outside Development.")
            : ValidateOptionsResult.Success;

    public const string DemoAdminKey = "dev-admin-key-change-me";

    public ValidateOptionsResult Validate(string? name, CosmosSettings options)
    {
        var failures = new List<string>();
        if (options.AcceptLocalCertificate)
        {
            if (!environment.IsDevelopment())
            {
                failures.Add("Cosmos:AcceptLocalCertificate is for the local server only; it is refused outside Development.");
            }
            if (Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) && !endpoint.IsLoopback)
            {
                failures.Add("Cosmos:AcceptLocalCertificate applies only to a loopback endpoint (localhost or 127.0.0.1).");
            }
        }
        if (options.InjectFaultRate > 0 && !environment.IsDevelopment())
        {
            failures.Add("Cosmos:InjectFaultRate is a test setting; it is refused outside Development.");
        }
        if (!string.IsNullOrEmpty(options.Key) && !environment.IsDevelopment())
        {
            failures.Add("Cosmos:Key is for the local server; in Azure the app signs in with its managed identity (leave the key empty).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKey(string? base64)
    {
        var bytes = new byte[64];
        return base64 is not null && Convert.TryFromBase64String(base64, bytes, out var written) && written == 32;
    }

    private static bool IsHttps(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    public ValidateOptionsResult Validate(string? name, AppSettings options)
    {
        var failures = new List<string>();
        if (options.AdminKey == DemoAdminKey && !environment.IsDevelopment())
        {
            failures.Add("MentorFlow:AdminKey is the demo key; set a secret one (from Key Vault) outside Development.");
        }
        if (options.AdminKey.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal))
        {
            failures.Add("MentorFlow:AdminKey is a Key Vault reference the platform could not resolve (is the admin-key secret in the vault, and may the app's identity read it?).");
        }
        foreach (var (admin, key) in options.AdminKeys)
        {
            if (admin.Trim().Length is 0 or > 60 || admin.Any(char.IsControl))
            {
                failures.Add($"MentorFlow:AdminKeys: the name '{admin}' must be 1 to 60 printable characters (it is shown in the audit trail).");
            }
            if ((key?.Length ?? 0) < 16)
            {
                failures.Add($"MentorFlow:AdminKeys:{admin} must be at least 16 characters.");
            }
        }
        if (options.AllAdminKeys().GroupBy(k => k.Key, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add("MentorFlow:AdminKeys: two admins share a key, so the audit trail could not tell them apart; give each its own.");
        }
        if (options.DevClock && !environment.IsDevelopment())
        {
            failures.Add("MentorFlow:DevClock moves the app's clock; it is refused outside Development.");
        }
        if (options.EntraAllowHttpMetadata && !environment.IsDevelopment())
        {
            failures.Add("MentorFlow:EntraAllowHttpMetadata reads token signing keys over plain HTTP; it is refused outside Development.");
        }
        if (!string.IsNullOrWhiteSpace(options.EntraAuthority) && string.IsNullOrWhiteSpace(options.EntraAudience))
        {
            failures.Add("MentorFlow:EntraAudience is required with MentorFlow:EntraAuthority (the MentorFlow API app's client id).");
        }
        if (!string.IsNullOrWhiteSpace(options.EntraAuthority) && !Uri.TryCreate(options.EntraAuthority, UriKind.Absolute, out _))
        {
            failures.Add("MentorFlow:EntraAuthority must be an absolute URL.");
        }
        if (string.IsNullOrWhiteSpace(options.KeyRingKeyVaultKeyId) && !IsKey(options.KeyRingKey))
        {
            failures.Add("MentorFlow:KeyRingKey (32 random bytes, base64) or MentorFlow:KeyRingKeyVaultKeyId is required: the key ring is encrypted at rest.");
        }
        if (!string.IsNullOrWhiteSpace(options.KeyRingKeyVaultKeyId) && !environment.IsDevelopment() && !IsHttps(options.KeyRingKeyVaultKeyId))
        {
            failures.Add("MentorFlow:KeyRingKeyVaultKeyId must be a Key Vault key's https URL.");
        }
        if (!environment.IsDevelopment() && !IsHttps(options.PublicBaseUrl))
        {
            failures.Add("MentorFlow:PublicBaseUrl must be https outside Development: it is in every link people receive.");
        }
        if (options.ConsoleSessionLifetime <= TimeSpan.Zero || options.ConsoleSessionLifetime > TimeSpan.FromHours(12))
        {
            failures.Add("MentorFlow:ConsoleSessionLifetime must be between 0 and 12 hours.");
        }
        if (options.DisableAdminKey && string.IsNullOrWhiteSpace(options.EntraAuthority))
        {
            failures.Add("MentorFlow:DisableAdminKey needs Entra ID (MentorFlow:EntraAuthority), or nobody could sign in.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
