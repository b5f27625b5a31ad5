using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Durable;
using MentorFlow.Functions.FunctionApp;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The package <c>./mentorflow package</c> builds, made once for the tests that read it.</summary>
public sealed class FunctionsPackage : IAsyncLifetime
{
    public string Zip { get; private set; } = "";

    public string Folder => Path.Combine(LocalStack.RepoRoot(), "artifacts", "package");

    public JsonArray Metadata => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "functions.metadata")))!.AsArray();

    public JsonNode HostJson => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "host.json")))!;

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(LocalStack.RepoRoot(), "mentorflow"), "package")
        {
            WorkingDirectory = LocalStack.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var package = Process.Start(start)!;
        var output = package.StandardOutput.ReadToEndAsync();
        var errors = await package.StandardError.ReadToEndAsync();
        await package.WaitForExitAsync();
        Assert.True(package.ExitCode == 0, errors);
        Zip = (await output).Trim().Split('\n')[^1];
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The Azure Functions isolated-worker contract, held without a Functions host (none runs on this machine): the metadata the
/// SDK generates against the app's routes and the engine's orchestrators and activities, host.json's Durable settings against
/// the local engine's, and the package's layout. The HTTP functions themselves are run on real requests in
/// <see cref="HttpFunctionTests"/>.
/// </summary>
public class FunctionAppTests(FunctionsPackage package) : IClassFixture<FunctionsPackage>
{
    private IEnumerable<(string Name, JsonObject Trigger)> Functions() =>
        package.Metadata.Select(f => (f!["name"]!.GetValue<string>(),
            f["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!.AsObject()));

    /// <summary>A function's route template as a pattern: a catch-all matches nothing or any rest of the path (as in ASP.NET routing).</summary>
    private static Regex RouteRegex(string route) =>
        new("^/" + Regex.Replace(Regex.Escape(route).Replace(@"/\{\*path}", "(/.*)?", StringComparison.Ordinal), @"\\\{[^}]+}", "[^/]+") + "$");

    [Fact]
    public async Task Every_http_function_serves_an_app_route_and_every_app_route_is_reached_by_a_function_none_under_the_hosts_admin_path()
    {
        await using var stack = new MentorFlowApp(await LocalStack.GetAsync());
        await using var app = stack.WithWebHostBuilder(h => h.UseSetting("MentorFlow:DevClock", "true"));
        using var client = app.CreateClient();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{(\*?)(\w+)(:[^}]+)?}", m => m.Groups[1].Value == "*" ? "x/y" : "x")).ToList();
        var http = Functions().Where(f => f.Trigger["type"]!.GetValue<string>() == "httpTrigger").ToList();

        Assert.Equal("", package.HostJson["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.NotEmpty(http);
        Assert.All(http, f => Assert.Equal("anonymous", f.Trigger["authLevel"]!.GetValue<string>(), ignoreCase: true));
        Assert.All(http, f => Assert.Contains(routes, r => RouteRegex(f.Trigger["route"]!.GetValue<string>()).IsMatch(r)));
        Assert.All(routes, r => Assert.Contains(http, f => RouteRegex(f.Trigger["route"]!.GetValue<string>()).IsMatch(r)));
        // The Functions host keeps /admin for its own API and refuses a function route under it.
        Assert.DoesNotContain(routes, r => r.StartsWith("/admin", StringComparison.OrdinalIgnoreCase));
        Assert.All(http, f => Assert.DoesNotMatch("^admin", f.Trigger["route"]!.GetValue<string>()));
    }

    [Fact]
    public void Every_orchestrator_and_activity_the_local_engine_registers_is_a_function_of_the_same_name_and_the_timer_runs_on_TickSchedule()
    {
        var functions = Functions().ToList();
        var orchestrators = functions.Where(f => f.Trigger["type"]!.GetValue<string>() == "orchestrationTrigger").Select(f => f.Name);
        var activities = functions.Where(f => f.Trigger["type"]!.GetValue<string>() == "activityTrigger").Select(f => f.Name);
        var timer = Assert.Single(functions, f => f.Trigger["type"]!.GetValue<string>() == "timerTrigger");

        Assert.Equal(LocalDurableEngine.Orchestrators.Select(t => t.Name).Order(), orchestrators.Order());
        Assert.Equal(LocalDurableEngine.Activities.Select(t => t.Name).Order(), activities.Order());
        Assert.Equal((WorkflowFunctions.Dispatch, "%TickSchedule%"), (timer.Name, timer.Trigger["schedule"]!.GetValue<string>()));
    }

    [Fact]
    public void Host_json_runs_the_task_hub_on_the_hosts_storage_by_identity_with_the_local_engines_version_polling_and_partitions()
    {
        var durable = package.HostJson["extensions"]!["durableTask"]!;
        var defaults = new DurableSettings();

        Assert.Equal(defaults.TaskHub, durable["hubName"]!.GetValue<string>());
        Assert.Equal(defaults.OrchestrationVersion, durable["defaultVersion"]!.GetValue<string>());
        Assert.Equal(("CurrentOrOlder", "Reject"), (durable["versionMatchStrategy"]!.GetValue<string>(), durable["versionFailureStrategy"]!.GetValue<string>()));
        Assert.Equal(("AzureStorage", "AzureWebJobsStorage"), (durable["storageProvider"]!["type"]!.GetValue<string>(), durable["storageProvider"]!["connectionName"]!.GetValue<string>()));
        Assert.Equal(defaults.PartitionCount, durable["storageProvider"]!["partitionCount"]!.GetValue<int>());
        // The provider's docs recommend ten seconds or less.
        Assert.InRange(TimeSpan.Parse(durable["storageProvider"]!["maxQueuePollingInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_package_holds_the_isolated_workers_files_at_its_root_and_no_development_settings()
    {
        using var zip = ZipFile.OpenRead(package.Zip);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        var worker = JsonNode.Parse(new StreamReader(zip.GetEntry("worker.config.json")!.Open()).ReadToEnd())!["description"]!;

        Assert.Contains("host.json", names);
        Assert.Contains("functions.metadata", names);
        Assert.Contains("extensions.json", names);
        Assert.Contains("MentorFlow.Functions.dll", names);
        Assert.Contains(names, n => n.StartsWith(".azurefunctions/", StringComparison.Ordinal));
        Assert.Equal(("dotnet-isolated", "MentorFlow.Functions.dll"), (worker["language"]!.GetValue<string>(), worker["defaultWorkerPath"]!.GetValue<string>()));
        Assert.DoesNotContain("appsettings.Development.json", names);
        Assert.DoesNotContain(names, n => n.EndsWith("function.json", StringComparison.Ordinal));
    }
}

/// <summary>
/// The HTTP functions as the isolated worker runs them, on real requests: each hands the Durable client it is bound to the
/// workflow and runs the request through the app's one pipeline. The app here runs no engine of its own (as in Azure, where
/// the Functions host runs the orchestrations); the client is a real one, to a local engine on Azurite.
/// </summary>
public class HttpFunctionTests
{
    [Fact]
    public async Task A_request_through_an_http_function_gets_the_apps_answer_and_a_cohort_it_creates_starts_its_orchestration_with_the_bound_client()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-{Guid.NewGuid():N}"[..26];
        await using var engine = new MentorFlowApp(stack, MentorFlowApp.RunningTheWorkflow(stack, database));
        await using var worker = new MentorFlowApp(stack, new Dictionary<string, string?> { ["Cosmos:Database"] = database, ["MentorFlow:RunWorkflow"] = "false" });
        using var warm = worker.CreateClient();
        var client = await engine.Services.GetRequiredService<DurableClients>().ReadyAsync(CancellationToken.None);
        var functions = new HttpFunctions(new AppPipeline(worker.Services), worker.Services.GetRequiredService<DurableClients>());

        var (live, liveBody, _) = await InvokeAsync(worker, functions.Health, client, "GET", "/healthz/live");
        var (console, _, consoleHeaders) = await InvokeAsync(worker, functions.Console, client, "GET", "/console");
        var body = Api.CohortBody("Through a function");
        var (created, createdBody, _) = await InvokeAsync(worker, functions.Api, client, "POST", "/api/cohorts", body.ToJsonString(), admin: true);
        var id = JsonNode.Parse(createdBody)!["id"]!.GetValue<string>();
        var (invalid, invalidBody, _) = await InvokeAsync(worker, functions.Api, client, "POST", "/api/cohorts", "{}", admin: true);

        Assert.Equal(StatusCodes.Status200OK, live);
        Assert.NotEmpty(liveBody);
        Assert.Equal(StatusCodes.Status302Found, console);
        Assert.StartsWith(MentorFlow.Functions.Admin.ConsoleAccess.SignInPath, consoleHeaders.Location.ToString(), StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status201Created, created);
        Assert.Equal(StatusCodes.Status400BadRequest, invalid);
        Assert.Contains("\"errors\"", invalidBody, StringComparison.Ordinal);
        Assert.NotNull(await client.GetInstanceAsync(InstanceIds.Cohort(id)));
    }

    private static async Task<(int Status, string Body, IHeaderDictionary Headers)> InvokeAsync(MentorFlowApp app,
        Func<HttpRequest, Microsoft.DurableTask.Client.DurableTaskClient, Task<IResult>> function, Microsoft.DurableTask.Client.DurableTaskClient client,
        string method, string path, string? json = null, bool admin = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("mentorflow.test");
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (admin)
        {
            context.Request.Headers[AdminKeyFilter.Header] = MentorFlowApp.AdminKey;
        }
        if (json is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        }
        var response = new MemoryStream();
        context.Response.Body = response;
        var result = await function(context.Request, client);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()), context.Response.Headers);
    }
}
