using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;

namespace MentorFlow.Functions.Verbs;

/// <summary>
/// The `bench-intake` verb: registrations under load, over HTTP against the app it starts on the configured stack. First a
/// fixed 100 requests a second (open loop: each request leaves on its own schedule, so a slow answer does not slow the
/// next one) for p50/p99; then as fast as 16 clients can go for the highest sustained rate; then the store's own create
/// rate at the same concurrency — the ceiling of a request that must write once. Finally every accepted registration is
/// counted in the store: none lost, none doubled. The app runs as deployed: its outbox sender on, within the default quota
/// (it sends the first confirmations, then waits for the quota; a burst costs it a point read a pass).
/// </summary>
public static class IntakeLoad
{
    private const int Clients = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(VerbArgs.Option(args, "--seconds") ?? "10", CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateBuilder(VerbArgs.Without(args, "--seconds"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MentorFlow:RunWorkflow"] = "false",
            ["MentorFlow:IntakePermitsPerMinute"] = "100000",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMentorFlow();
        await using var app = builder.Build();
        app.UseMentorFlow();
        await app.StartAsync();
        var settings = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppSettings>>().Value;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        var cohortId = await OpenCohortAsync(http, settings.AdminKey);
        var accepted = 0L;

        // 1. A fixed rate of 100 registrations a second.
        var fixedRate = new List<double>();
        var schedule = Stopwatch.StartNew();
        var total = (int)(100 * seconds);
        await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
        {
            var due = TimeSpan.FromMilliseconds(i * 10);
            if (due > schedule.Elapsed)
            {
                await Task.Delay(due - schedule.Elapsed);
            }
            var latency = await RegisterAsync(http, cohortId, $"fixed{i}");
            lock (fixedRate)
            {
                fixedRate.Add(latency);
            }
        }));
        accepted += fixedRate.Count;

        // 2. As fast as 16 clients go.
        var open = new List<double>();
        var (_, openSeconds) = await StoreCeiling.WorkersAsync(Clients, TimeSpan.FromSeconds(seconds), async (client, i) =>
        {
            var latency = await RegisterAsync(http, cohortId, $"open{client}-{i}");
            lock (open)
            {
                open.Add(latency);
            }
        });
        accepted += open.Count;

        // 3. The store's own create rate at the same concurrency; 4. everyone is there, once.
        var (created, createSeconds) = await StoreCeiling.CreatesAsync(app.Services.GetRequiredService<CosmosConnection>(), Clients, TimeSpan.FromSeconds(seconds));
        var stored = (await app.Services.GetRequiredService<CosmosStore>().ListParticipantsAsync(cohortId, CancellationToken.None)).Count;
        var ceiling = created / createSeconds;
        var topRate = open.Count / openSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"at 100 requests/s for {seconds:0} s: {fixedRate.Count} registrations, p50 {Percentile(fixedRate, 0.5):0} ms, p99 {Percentile(fixedRate, 0.99):0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Clients} clients as fast as they go for {seconds:0} s: {topRate:0} requests/s, p50 {Percentile(open, 0.5):0} ms, p99 {Percentile(open, 0.99):0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the store's own create rate at {Clients}: {ceiling:0}/s (3 KB documents, a bare client)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"intake: p99 {Percentile(fixedRate, 0.99):0} ms at 100 requests/s, top rate {topRate:0} requests/s = {100 * topRate / ceiling:0}% of the store's create rate; {stored} of {accepted} accepted registrations stored"));
        await app.StopAsync();
        return stored == accepted ? 0 : 1;
    }

    private static async Task<string> OpenCohortAsync(HttpClient http, string adminKey)
    {
        http.DefaultRequestHeaders.Add(AdminKeyFilter.Header, adminKey);
        var today = DateTime.UtcNow;
        using var created = await http.PostAsJsonAsync("/api/cohorts", new JsonObject
        {
            ["name"] = "Intake load", ["society"] = "Society of Benchmarks",
            ["nationalMeeting"] = new JsonObject { ["name"] = "Annual Meeting", ["startsOn"] = today.AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["city"] = "Chicago", ["timeZone"] = "America/Chicago" },
            ["intakeClosesOn"] = today.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["programStartsOn"] = today.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["adminEmails"] = new JsonArray("admins@bench.example"),
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        (await http.PostAsync($"/api/cohorts/{id}/intake/open", null)).EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Remove(AdminKeyFilter.Header);
        return id;
    }

    /// <summary>One registration; its time in milliseconds. Anything but 202 stops the benchmark: a refused registration is a finding, not a figure.</summary>
    private static async Task<double> RegisterAsync(HttpClient http, string cohortId, string who)
    {
        var body = new JsonObject
        {
            ["role"] = "mentee", ["firstName"] = "Load", ["lastName"] = who, ["email"] = $"{who}.{Guid.NewGuid():N}@bench.example",
            ["careerStage"] = "trainee", ["specialty"] = "Anesthesiology", ["practiceSetting"] = "academic", ["institution"] = "Bench University",
            ["city"] = "Dallas", ["region"] = "TX", ["country"] = "US", ["timeZone"] = "America/Chicago", ["aspects"] = new JsonArray("research"),
            ["attendingNationalMeeting"] = true, ["goals"] = "Grow.", ["consent"] = true,
        };
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", body);
        watch.Stop();
        if ((int)response.StatusCode != StatusCodes.Status202Accepted)
        {
            throw new InvalidOperationException($"A registration was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double share)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * share))];
    }
}
