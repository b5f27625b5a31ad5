using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MentorFlow.Functions.Hosting;

/// <summary>Where traces, metrics and logs go. Section <c>Telemetry</c>.</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Telemetry";

    /// <summary>Application Insights connection string; empty (the default) exports nothing. <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> also works.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Client id of the managed identity that signs telemetry in (Application Insights with local auth off); empty: the connection string alone.</summary>
    public string? ManagedIdentityClientId { get; set; }
}

/// <summary>
/// OpenTelemetry for the app and the job: ASP.NET Core and HttpClient traces (the Cosmos SDK's gateway calls are HTTP), the
/// app's own activities and counters, runtime metrics, and logs, exported to Application Insights when a connection string is
/// configured. Logs carry ids and counts, never a participant's name or address.
/// </summary>
public static class Observability
{
    public const string Name = "MentorFlow";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EmailsSent = Meter.CreateCounter<long>("mentorflow.emails.sent", "{email}", "Emails the SMTP relay accepted.");

    public static readonly Counter<long> EmailsFailed = Meter.CreateCounter<long>("mentorflow.emails.failed", "{email}", "Sends that failed after every retry (kept in the outbox).");

    public static readonly Counter<long> Transitions = Meter.CreateCounter<long>("mentorflow.pairs.transitions", "{transition}", "Pair state transitions applied.");

    public static readonly Counter<long> PairsFailed = Meter.CreateCounter<long>("mentorflow.pairs.failed", "{failure}", "Pair transitions that threw; the pair is retried with back-off, the others carry on.");

    public static readonly Counter<long> EmailsDeferred = Meter.CreateCounter<long>("mentorflow.emails.deferred", "{email}", "Emails left for later because the sending quota was used up.");

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>() ?? new TelemetrySettings();
        var connectionString = string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]
            : settings.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mentorflow", serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing
                .AddSource(Name)
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/healthz");
                    // A participant's link token never reaches telemetry: its path is recorded as the route's template.
                    options.EnrichWithHttpRequest = (activity, request) =>
                    {
                        var path = SecurityHeaders.Redacted(request.Path);
                        if (path != request.Path.Value)
                        {
                            activity.SetTag("url.path", path);
                            activity.DisplayName = $"{request.Method} {path}";
                        }
                    };
                })
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging()
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                // A society's traffic is small: keep every trace (the exporter's default rate-limits to a few a second).
                options.TracesPerSecond = null;
                options.SamplingRatio = 1.0F;
                if (!string.IsNullOrWhiteSpace(settings.ManagedIdentityClientId))
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(settings.ManagedIdentityClientId));
                }
            });
        return builder;
    }
}
