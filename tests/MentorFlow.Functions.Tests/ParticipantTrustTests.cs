using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>A person's way out: the manage link in their emails, withdrawal during the term, and erasure everywhere their data was copied.</summary>
public partial class ParticipantTrustTests
{
    [Fact]
    public async Task A_mentor_withdraws_from_the_manage_link_the_mentee_is_told_kindly_the_admins_can_rematch_and_the_mentor_hears_nothing_more()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 2);
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default); // the receipts, with each person's manage link
        await app.TickAsync(); // introductions
        var pairs = await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs");
        var leaving = pairs![0]!;
        var mentorEmail = leaving["mentor"]!["email"]!.GetValue<string>();
        var menteeEmail = leaving["mentee"]!["email"]!.GetValue<string>();
        var receipt = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([mentorEmail], e => e.Subject.Contains("registered as a", StringComparison.Ordinal), 1));
        var manage = new Uri(ManageLink().Match(receipt.Text!).Groups[1].Value).PathAndQuery;

        using var page = await app.Public.GetAsync(manage);
        using var elsewhere = await app.Public.PostAsync(manage.Replace("/m/", "/r/", StringComparison.Ordinal), null); // a manage link is no answer link
        using var withdrawn = await app.Public.PostAsync(manage + "/withdraw", null);
        await app.TickAsync();
        var seenByMentor = (await app.App.Stack.Inbox.WaitForAsync([mentorEmail], 10, TimeSpan.FromSeconds(2))).Count;
        var cancelled = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{leaving["id"]}");
        var toMentee = await app.App.Stack.Inbox.WaitForAsync([menteeEmail], e => e.Subject.EndsWith("a change in your mentoring pair", StringComparison.Ordinal), 1);
        var toAdmins = await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], e => e.Subject.Contains("withdrew", StringComparison.Ordinal), 1);
        using var rematch = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{leaving["id"]}/rematch",
            new { mentorId = pairs[1]!["mentor"]!["participantId"]!.GetValue<string>() });
        var rematched = (await rematch.Content.ReadFromJsonAsync<JsonObject>())!;
        time.Advance(TimeSpan.FromDays(40));
        for (var i = 0; i < 3; i++)
        {
            await app.TickAsync();
        }

        Assert.Contains("Withdraw from the program", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(("cancelled", "withdrew"), (cancelled!["status"]!.GetValue<string>(), cancelled["cancelReason"]!.GetValue<string>()));
        Assert.Single(toMentee);
        Assert.Single(toAdmins);
        Assert.Equal(HttpStatusCode.OK, rematch.StatusCode);
        Assert.Equal("active", rematched["status"]!.GetValue<string>());
        Assert.Equal(seenByMentor, (await app.App.Stack.Inbox.WaitForAsync([mentorEmail], 50, TimeSpan.FromSeconds(1))).Count);
        Assert.Equal("withdrawn", (await Api.ParticipantsAsync(app.Admin, cohortId)).Single(p => p!["email"]!.GetValue<string>() == mentorEmail)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task After_an_admin_erases_a_participant_no_container_and_no_answer_of_the_API_holds_their_name_or_address_and_the_counts_remain()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 3);
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default);
        await app.TickAsync();
        var pair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!;
        var person = pair["mentee"]!;
        var (name, email, id) = (person["name"]!.GetValue<string>(), person["email"]!.GetValue<string>(), person["participantId"]!.GetValue<string>());
        Assert.Contains(name, await EverythingStoredAsync(app)); // the scan below would see it

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var erased = await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/participants/{id}");
        started.Stop();
        await app.TickAsync();
        using var again = await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/participants/{id}");
        var stored = await EverythingStoredAsync(app);
        var answers = string.Join('\n', await Task.WhenAll(
            new[] { $"/api/cohorts/{cohortId}/pairs", $"/api/cohorts/{cohortId}/pairs/{pair["id"]}", $"/api/cohorts/{cohortId}/participants", $"/api/cohorts/{cohortId}/report",
                $"/api/cohorts/{cohortId}/report?format=csv", $"/api/cohorts/{cohortId}/matching", $"/api/cohorts/{cohortId}" }.Select(u => app.Admin.GetStringAsync(u))));
        var report = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (erased.StatusCode, again.StatusCode));
        Assert.DoesNotContain(name, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(email, stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(name, answers, StringComparison.Ordinal);
        Assert.DoesNotContain(email, answers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, report!["pairs"]!.GetValue<int>());
        Assert.Equal(1, report["byStatus"]!["cancelled"]!.GetValue<int>());
        Assert.Contains("Erased participant", answers, StringComparison.Ordinal);
        Console.WriteLine($"erasure of one participant: {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_registration_nobody_confirms_is_purged_after_a_week_and_a_closed_cohort_erases_its_people_when_the_retention_period_ends()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time, new Dictionary<string, string?> { ["MentorFlow:RetainPersonalDataDays"] = "30" });
        var stranger = Api.UniqueEmail("stranger");
        var open = await Api.CreateCohortAsync(app.Admin, today: time.GetUtcNow());
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{open}/intake", Api.Mentee(stranger))).EnsureSuccessStatusCode();
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 1, termMonths: 1);
        time.Advance(TimeSpan.FromDays(8));
        await app.TickAsync();
        var purged = await Api.ParticipantsAsync(app.Admin, open);
        for (var step = 0; step < 20 && (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["status"]!.GetValue<string>() != "closed"; step++)
        {
            var due = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!
                .Select(p => p!["nextDueAt"]?.GetValue<DateTimeOffset>()).Where(d => d is not null).DefaultIfEmpty(time.GetUtcNow().AddDays(1)).Min()!.Value;
            time.SetUtcNow(due > time.GetUtcNow() ? due : time.GetUtcNow().AddMinutes(1));
            await app.TickAsync();
        }
        var closed = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!;
        var people = (await Api.ParticipantsAsync(app.Admin, cohortId)).Select(p => p!["email"]!.GetValue<string>()).ToList();

        time.SetUtcNow(closed["nextDueAt"]!.GetValue<DateTimeOffset>());
        await app.TickAsync();
        var stored = await EverythingStoredAsync(app);
        var report = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report");

        Assert.Empty(purged);
        Assert.Equal(("closed", "erasure"), (closed["status"]!.GetValue<string>(), closed["nextDue"]!.GetValue<string>()));
        Assert.Equal(2, people.Count);
        Assert.Empty(await Api.ParticipantsAsync(app.Admin, cohortId));
        Assert.All(people, email => Assert.DoesNotContain(email, stored, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(stranger, stored, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, report!["pairs"]!.GetValue<int>());
    }

    [Fact]
    public async Task While_intake_is_open_a_person_changes_their_answers_from_the_manage_page_but_not_their_address_and_after_it_closes_they_cannot()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: time.GetUtcNow());
        var email = Api.UniqueEmail("editor");
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email))).EnsureSuccessStatusCode();
        await Api.ConfirmAllAsync(app.Admin, cohortId);
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default);
        var receipt = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([email], e => e.Subject.Contains("registered as a", StringComparison.Ordinal), 1));
        var manage = new Uri(ManageLink().Match(receipt.Text!).Groups[1].Value).PathAndQuery;

        using var form = await app.Public.GetAsync(manage + "/edit");
        var prefilled = await form.Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>
        {
            ["role"] = "mentee", ["firstName"] = "Ana", ["lastName"] = "Edited", ["email"] = "hijack@example.test", ["careerStage"] = "trainee",
            ["specialty"] = "Anesthesiology", ["practiceSetting"] = "academic", ["institution"] = "New Hospital", ["city"] = "Dallas", ["region"] = "TX",
            ["country"] = "US", ["timeZone"] = "America/Chicago", ["aspects"] = "career", ["attendingNationalMeeting"] = "true",
            ["goals"] = "Lead a quality project.", ["consent"] = "true",
        };
        using var saved = await app.Public.PostAsync(manage + "/edit", new FormUrlEncodedContent(fields));
        var stored = (await Api.ParticipantsAsync(app.Admin, cohortId)).Single()!;
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null)).EnsureSuccessStatusCode();
        using var closed = await app.Public.GetAsync(manage + "/edit");
        using var late = await app.Public.PostAsync(manage + "/edit", new FormUrlEncodedContent(fields));

        Assert.Contains("Save my changes", prefilled);
        Assert.Contains(email, prefilled);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(("Edited", "New Hospital", "Lead a quality project.", email, "registered"), (stored["lastName"]!.GetValue<string>(),
            stored["institution"]!.GetValue<string>(), stored["goals"]!.GetValue<string>(), stored["email"]!.GetValue<string>(), stored["status"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (closed.StatusCode, late.StatusCode));
    }

    /// <summary>Every document of every container of the app's database, as stored, read across partitions by feed.</summary>
    private static async Task<string> EverythingStoredAsync(FakeClockApp app)
    {
        var connection = app.App.Services.GetRequiredService<CosmosConnection>();
        var all = new List<string>();
        foreach (var name in Containers.All)
        {
            using var feed = connection.Container(name).GetItemQueryIterator<JsonElement>(queryText: null);
            while (feed.HasMoreResults)
            {
                all.AddRange((await feed.ReadNextAsync()).Select(d => d.GetRawText()));
            }
        }
        return string.Join('\n', all);
    }

    [GeneratedRegex(@"(http\S+/m/\S+)")]
    private static partial Regex ManageLink();
}
