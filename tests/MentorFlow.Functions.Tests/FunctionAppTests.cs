using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The Azure Functions custom-handler contract, held here without a Functions host (none runs on this machine): the
/// host's files against the app's routes, the app started as the host starts it (FUNCTIONS_CUSTOMHANDLER_PORT), a timer
/// invocation with the documented payload and its documented answer, and the package's layout.
/// </summary>
public class FunctionAppTests
{
    private static string FunctionApp => Path.Combine(LocalStack.RepoRoot(), "src", "Functions", "FunctionApp");

    private static IEnumerable<(string Name, JsonObject Binding)> Functions() =>
        Directory.GetDirectories(FunctionApp).Select(d => (Path.GetFileName(d),
            JsonNode.Parse(File.ReadAllText(Path.Combine(d, "function.json")))!["bindings"]!.AsArray()[0]!.AsObject()));

    /// <summary>A function's route template as a pattern: a catch-all matches nothing or any rest of the path (as in ASP.NET routing).</summary>
    private static Regex RouteRegex(string route) =>
        new("^/" + Regex.Replace(Regex.Escape(route).Replace(@"/\{\*path}", "(/.*)?", StringComparison.Ordinal), @"\\\{[^}]+}", "[^/]+") + "$");

    [Fact]
    public async Task Every_function_parses_and_serves_an_app_route_and_every_app_route_is_reached_by_a_function()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionApp, "host.json")))!;
        await using var stack = new MentorFlowApp(await LocalStack.GetAsync());
        await using var app = stack.WithWebHostBuilder(h => h.UseSetting("MentorFlow:DevClock", "true"));
        using var client = app.CreateClient();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{(\*?)(\w+)(:[^}]+)?}", m => m.Groups[1].Value == "*" ? "x/y" : "x")).ToList();
        var http = Functions().Where(f => f.Binding["type"]!.GetValue<string>() == "httpTrigger").ToList();
        var timer = Assert.Single(Functions(), f => f.Binding["type"]!.GetValue<string>() == "timerTrigger");

        Assert.Equal(("MentorFlow.Functions", "serve", true, ""), (host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>(),
            host["customHandler"]!["description"]!["arguments"]![0]!.GetValue<string>(), host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>(),
            host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>()));
        Assert.All(http, f => Assert.Equal("anonymous", f.Binding["authLevel"]!.GetValue<string>()));
        Assert.All(http, f => Assert.Contains(routes, r => RouteRegex(f.Binding["route"]!.GetValue<string>()).IsMatch(r)));
        Assert.All(routes, r => Assert.Contains(http, f => RouteRegex(f.Binding["route"]!.GetValue<string>()).IsMatch(r)));
        Assert.Equal((CustomHandler.DispatchFunction, "%TickSchedule%"), (timer.Name, timer.Binding["schedule"]!.GetValue<string>()));
        Assert.DoesNotContain(http, f => RouteRegex(f.Binding["route"]!.GetValue<string>()).IsMatch("/" + CustomHandler.DispatchFunction));
    }

    [Fact]
    public async Task Started_as_the_Functions_host_starts_it_the_app_answers_proxied_requests_and_a_timer_invocation_with_the_documented_shapes()
    {
        var stack = await LocalStack.GetAsync();
        var (ok, okLog) = await InvokeDispatchAsync(stack, new Dictionary<string, string>());
        var (failed, failedLog) = await InvokeDispatchAsync(stack, new Dictionary<string, string>
        {
            ["Cosmos__Endpoint"] = $"https://127.0.0.1:{LocalStack.FreePort()}/", ["Cosmos__CreateResources"] = "false", ["Cosmos__RetryAttempts"] = "1",
        });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ok.Live, failed.Live));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(["Logs", "Outputs", "ReturnValue"], ok.Body.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Empty(ok.Body["Outputs"]!.AsObject());
        Assert.Null(ok.Body["ReturnValue"]);
        Assert.StartsWith("sweep: SendResult", ok.Body["Logs"]![0]!.GetValue<string>());
        Assert.Contains(okLog, l => l.Contains("invocation-under-test", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.StartsWith("sweep failed", failed.Body["Logs"]![0]!.GetValue<string>());
        Assert.Contains(failedLog, l => l.Contains("invocation-under-test", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
    }

    private static async Task<((HttpStatusCode Live, HttpStatusCode Status, JsonObject Body), List<string> Log)> InvokeDispatchAsync(
        LocalStack stack, Dictionary<string, string> environment)
    {
        var port = LocalStack.FreePort();
        environment[CustomHandler.PortVariable] = port.ToString(CultureInfo.InvariantCulture);
        var log = new List<string>();
        using var process = ChildApp.Start("serve", stack, $"mentorflow-fn-{Guid.NewGuid():N}"[..26], environment, line => { lock (log) { log.Add(line); } });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await ChildApp.WaitUntilLiveAsync(process, client), "the handler did not start on the port the host gave it");
            using var live = await client.GetAsync("/healthz/live");
            // The timer invocation as the host sends it (Microsoft Learn, "Azure Functions custom handlers").
            using var request = new HttpRequestMessage(HttpMethod.Post, "/" + CustomHandler.DispatchFunction)
            {
                Content = JsonContent.Create(JsonNode.Parse("""
                    {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2027-01-04T12:00:00Z","Next":"2027-01-04T12:05:00Z","LastUpdated":"2027-01-04T12:00:00Z"},"IsPastDue":false}},
                     "Metadata":{"sys":{"MethodName":"Dispatch","UtcNow":"2027-01-04T12:05:00Z","RandGuid":"2d5b7b36-8c5d-4d2a-9bd8-0b6b5c0e2f51"}}}
                    """)),
            };
            request.Headers.Add(CustomHandler.InvocationHeader, "invocation-under-test");
            using var response = await client.SendAsync(request);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            await Task.Delay(300); // the log line is written as the answer goes out
            lock (log)
            {
                return ((live.StatusCode, response.StatusCode, body), [.. log]);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_package_has_host_json_at_its_root_a_folder_per_function_and_an_executable_handler()
    {
        var start = new ProcessStartInfo(Path.Combine(LocalStack.RepoRoot(), "mentorflow"), "package")
        {
            WorkingDirectory = LocalStack.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var package = Process.Start(start)!;
        var output = await package.StandardOutput.ReadToEndAsync();
        var errors = await package.StandardError.ReadToEndAsync();
        await package.WaitForExitAsync();
        Assert.True(package.ExitCode == 0, errors);

        using var zip = ZipFile.OpenRead(output.Trim().Split('\n')[^1]);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        var handler = zip.GetEntry("MentorFlow.Functions")!;

        Assert.Contains("host.json", names);
        Assert.All(Functions(), f => Assert.Contains($"{f.Name}/function.json", names));
        Assert.NotEqual(0, (handler.ExternalAttributes >> 16) & 0b001_001_001); // executable
        Assert.Contains("MentorFlow.Functions.dll", names);
        Assert.DoesNotContain("appsettings.Development.json", names);
        Assert.DoesNotContain(names, n => n.StartsWith("FunctionApp/", StringComparison.Ordinal));
    }
}
