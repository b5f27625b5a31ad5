using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Apis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>The real app (Program) on the real local stack; only settings differ from `./mentorflow up`.</summary>
public class MentorFlowApp(LocalStack stack, IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string Database = "mentorflow-tests";

    public LocalStack Stack { get; } = stack;

    /// <summary>Settings for an app with a database of its own that runs the workflow's orchestrations, on a task hub of that database's.</summary>
    public static Dictionary<string, string?> RunningTheWorkflow(LocalStack stack, string? database = null)
    {
        database ??= $"mentorflow-{Guid.NewGuid():N}"[..26];
        return new Dictionary<string, string?>
        {
            ["Cosmos:Database"] = database,
            ["MentorFlow:RunWorkflow"] = "true",
            ["Durable:StorageConnectionString"] = stack.DurableConnectionString,
            ["Durable:TaskHub"] = ChildApp.TaskHubFor(database),
            // Many test apps run at once on one Azurite: one control queue each (one host per task hub here) keeps their idle
            // polling and lease renewals from swamping it.
            ["Durable:PartitionCount"] = "1",
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(config =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Cosmos:Endpoint"] = Stack.CosmosEndpoint,
                ["Cosmos:Database"] = Database,
                ["Smtp:Port"] = Stack.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["MentorFlow:AdminKey"] = AdminKey,
                ["MentorFlow:PublicBaseUrl"] = "http://mentorflow.test",
                ["MentorFlow:IntakePermitsPerMinute"] = "100000",
                ["MentorFlow:LinkPermitsPerMinute"] = "100000",
                ["MentorFlow:OutboxInterval"] = "00:00:02",
                // Tests that need the dispatcher call it themselves, each on its own clock and database.
                ["MentorFlow:RunWorkflow"] = "false",
                // The sending quota is shared through the database; tests on the shared database are not about it.
                ["MentorFlow:EmailsPerMinute"] = "100000",
                ["MentorFlow:EmailsPerHour"] = "1000000",
            };
            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }
            config.AddInMemoryCollection(settings);
        });
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(AdminKeyFilter.Header, AdminKey);
        return client;
    }
}

/// <summary>One app per test class, on the shared stack.</summary>
public class AppFixture : IAsyncLifetime
{
    public MentorFlowApp App { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Public { get; private set; } = null!;

    public Inbox Inbox => App.Stack.Inbox;

    protected virtual IReadOnlyDictionary<string, string?>? Overrides => null;

    public async Task InitializeAsync()
    {
        App = new MentorFlowApp(await LocalStack.GetAsync(), Overrides);
        Admin = App.Admin();
        Public = App.CreateClient();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Test data through the public API: a fresh cohort per test, so tests run in parallel without seeing each other.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A valid cohort whose dates fall after <paramref name="today"/> (the app's clock; the wall clock by default).</summary>
    public static JsonObject CohortBody(string? name = null, DateTimeOffset? today = null) => CohortBody(name, (today ?? DateTimeOffset.UtcNow).UtcDateTime);

    private static JsonObject CohortBody(string? name, DateTime today) => new()
    {
        ["name"] = name ?? "Test cohort",
        ["society"] = "Society of Testing",
        ["nationalMeeting"] = new JsonObject
        {
            ["name"] = "Annual Meeting",
            ["startsOn"] = today.AddDays(90).ToString("yyyy-MM-dd"),
            ["city"] = "Chicago",
            ["timeZone"] = "America/Chicago",
        },
        ["intakeClosesOn"] = today.AddDays(30).ToString("yyyy-MM-dd"),
        ["programStartsOn"] = today.AddDays(60).ToString("yyyy-MM-dd"),
        ["adminEmails"] = new JsonArray("admins@society.test"),
    };

    public static async Task<string> CreateCohortAsync(HttpClient admin, bool open = true, DateTimeOffset? today = null)
    {
        using var created = await admin.PostAsJsonAsync("/api/cohorts", CohortBody(null, today));
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        if (open)
        {
            using var opened = await admin.PostAsync($"/api/cohorts/{id}/intake/open", null);
            opened.EnsureSuccessStatusCode();
        }
        return id;
    }

    public static string UniqueEmail(string who) => $"{who}.{Guid.NewGuid():N}@members.test";

    public static JsonObject Mentee(string? email = null) => new()
    {
        ["role"] = "mentee",
        ["firstName"] = "Ana",
        ["lastName"] = "López",
        ["email"] = email ?? UniqueEmail("mentee"),
        ["careerStage"] = "trainee",
        ["specialty"] = "Anesthesiology",
        ["subspecialty"] = "Pediatric",
        ["practiceSetting"] = "academic",
        ["institution"] = "UT Southwestern",
        ["city"] = "Dallas",
        ["region"] = "TX",
        ["country"] = "US",
        ["timeZone"] = "America/Chicago",
        ["aspects"] = new JsonArray("research", "wellbeing"),
        ["attendingNationalMeeting"] = true,
        ["preferences"] = new JsonObject { ["differentInstitution"] = true },
        ["goals"] = "Publish my first paper.",
        ["consent"] = true,
    };

    public static JsonObject Mentor(string? email = null)
    {
        var mentor = Mentee(email ?? UniqueEmail("mentor"));
        mentor["role"] = "mentor";
        mentor["firstName"] = "Ben";
        mentor["lastName"] = "Okafor";
        mentor["careerStage"] = "late";
        mentor["capacity"] = 2;
        return mentor;
    }

    public static async Task<JsonArray> ParticipantsAsync(HttpClient admin, string cohortId) =>
        (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/participants"))!;

    /// <summary>Confirms every registration of the cohort, as each person would from their first email (Development's shortcut).</summary>
    public static async Task ConfirmAllAsync(HttpClient admin, string cohortId)
    {
        using var confirmed = await admin.PostAsync($"/api/dev/cohorts/{cohortId}/participants/confirm", null);
        confirmed.EnsureSuccessStatusCode();
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static IEnumerable<string> ErrorFields(JsonObject problem) =>
        problem["errors"]!.AsObject().Select(kv => kv.Key);
}
