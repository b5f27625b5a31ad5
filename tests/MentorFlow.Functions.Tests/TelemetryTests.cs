using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// With an Application Insights connection string the app exports over the real Azure Monitor ingestion protocol: here to a
/// local endpoint standing in for Azure's (the connection string's IngestionEndpoint), which records what arrives. The app
/// runs as its own process, configured by environment variables as in Container Apps.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _received = new();
    private WebApplication _ingestion = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = LocalStack.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _ingestion = builder.Build();
        _ingestion.MapPost("/v2.1/track", async (HttpRequest request) =>
        {
            Stream body = request.Body;
            if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = new GZipStream(request.Body, CompressionMode.Decompress);
            }
            var text = await new StreamReader(body).ReadToEndAsync();
            _received.Enqueue(text);
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return Results.Json(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() });
        });
        await _ingestion.StartAsync();
    }

    public async Task DisposeAsync() => await _ingestion.DisposeAsync();

    [Fact]
    public async Task Requests_the_apps_own_smtp_activity_its_metrics_and_logs_reach_application_insights_without_a_participants_address()
    {
        var stack = await LocalStack.GetAsync();
        var appPort = LocalStack.FreePort();
        // A database of its own: on the shared one, the child's outbox would first sweep every other test's pending emails.
        using var app = ChildApp.Start("serve", stack, $"mentorflow-tel-{Guid.NewGuid():N}"[..26], new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = appPort.ToString(CultureInfo.InvariantCulture),
            ["Telemetry__ConnectionString"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:{_port}/",
        });
        try
        {
            using var anyone = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{appPort}") };
            using var admin = new HttpClient { BaseAddress = anyone.BaseAddress };
            admin.DefaultRequestHeaders.Add(Apis.AdminKeyFilter.Header, MentorFlowApp.AdminKey);
            Assert.True(await ChildApp.WaitUntilLiveAsync(app, anyone), "the app did not start");
            var cohortId = await Api.CreateCohortAsync(admin);
            var email = Api.UniqueEmail("telemetry");
            using var registered = await anyone.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email));
            using var link = await anyone.GetAsync("/r/telemetry-must-never-see-this-token");
            await stack.Inbox.WaitForAsync([email], 1);

            var all = await WaitForAsync(text => text.Contains($"/api/cohorts/{cohortId}/intake", StringComparison.Ordinal)
                && text.Contains("smtp send", StringComparison.Ordinal) && text.Contains("MessageData", StringComparison.Ordinal));
            // Metrics go out once a minute, and at shutdown: stop the app the way Container Apps does (SIGTERM).
            using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", app.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            await app.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            all = string.Join('\n', _received);

            Assert.Contains("RequestData", all, StringComparison.Ordinal);
            Assert.Contains($"/api/cohorts/{cohortId}/intake", all, StringComparison.Ordinal);
            Assert.Contains("smtp send", all, StringComparison.Ordinal);
            Assert.Contains("MessageData", all, StringComparison.Ordinal);
            Assert.Contains("mentorflow.emails.sent", all, StringComparison.Ordinal);
            Assert.DoesNotContain(email, all, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, link.StatusCode);
            Assert.DoesNotContain("telemetry-must-never-see-this-token", all, StringComparison.Ordinal);
            Assert.Contains("/r/{token}", all, StringComparison.Ordinal);
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
            }
            await app.WaitForExitAsync();
        }
    }

    private async Task<string> WaitForAsync(Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var all = string.Join('\n', _received);
            if (done(all) || DateTime.UtcNow > deadline)
            {
                return all;
            }
            await Task.Delay(250);
        }
    }
}
