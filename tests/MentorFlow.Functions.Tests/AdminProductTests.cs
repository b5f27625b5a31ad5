using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

/// <summary>What a program admin does at scale over HTTP: named admins and the audit trail, bulk actions on pairs, messages to people.</summary>
public class AdminProductTests
{
    private const string RiveraKey = "rivera-admin-key-0123456789";

    private static FakeClockApp NewApp() => new(LocalStack.GetAsync().GetAwaiter().GetResult(), FakeClockApp.Clock(),
        new Dictionary<string, string?> { ["MentorFlow:AdminKeys:Dr Rivera"] = RiveraKey });

    private static HttpClient As(FakeClockApp app, string key)
    {
        var client = app.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", key);
        return client;
    }

    private static async Task<JsonArray> PairsAsync(HttpClient admin, string cohortId) => (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;

    private static string Id(JsonNode? node) => node!["id"]!.GetValue<string>();

    /// <summary>Introduces every pair and moves the clock to their first check-in: every pair then awaits an answer.</summary>
    private static async Task AtFirstCheckInAsync(FakeClockApp app, string cohortId)
    {
        await app.TickAsync();
        var due = (await PairsAsync(app.Admin, cohortId)).Max(p => p!["nextDueAt"]!.GetValue<DateTimeOffset>());
        app.Time.SetUtcNow(due);
        await app.TickAsync();
    }

    [Fact]
    public async Task Every_admin_action_names_who_did_it_on_the_pairs_timeline_and_in_the_audit_trail_and_erasure_scrubs_what_they_wrote()
    {
        await using var app = NewApp();
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 2);
        var rivera = As(app, RiveraKey);
        var pairs = await PairsAsync(app.Admin, cohortId);
        var pair = pairs.First(p => p!["mentee"]!["name"]!.GetValue<string>().EndsWith("N00", StringComparison.Ordinal))!;
        var menteeId = pair["mentee"]!["participantId"]!.GetValue<string>();

        using var cancelled = await rivera.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{Id(pair)}/cancel", new { reason = "Ana N00 moved abroad" });
        var history = (await rivera.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{Id(pair)}"))!["history"]!.AsArray();
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!;
        var forPair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit?target={Id(pair)}"))!;
        using var wrongKey = await As(app, "rivera-admin-key-012345678X").GetAsync($"/api/cohorts/{cohortId}/audit");
        using var unknown = await app.Admin.GetAsync("/api/cohorts/no-such-cohort/audit");
        (await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/participants/{menteeId}")).EnsureSuccessStatusCode();
        var afterErasure = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!;

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("Dr Rivera", history[^1]!["by"]!.GetValue<string>());
        Assert.Equal(["CreateCohort", "OpenIntake", "CloseIntake", "ProposeMatching", "ApproveMatching", "LaunchCohort", "CancelPair"],
            audit.Select(a => a!["action"]!.GetValue<string>()));
        Assert.All(audit.Take(6), a => Assert.Equal("admin", a!["actor"]!.GetValue<string>()));
        var cancel = Assert.Single(forPair)!;
        Assert.Equal(("Dr Rivera", Id(pair), "Ana N00 moved abroad"), (cancel["actor"]!.GetValue<string>(), cancel["target"]!.GetValue<string>(), cancel["detail"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["EraseParticipant", menteeId], [afterErasure[^1]!["action"]!.GetValue<string>(), afterErasure[^1]!["target"]!.GetValue<string>()]);
        var scrubbed = afterErasure.Single(a => a!["action"]!.GetValue<string>() == "CancelPair")!["detail"]!.GetValue<string>();
        Assert.DoesNotContain("N00", scrubbed, StringComparison.Ordinal);
        Assert.Contains("moved abroad", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bulk_action_answers_per_pair_done_refused_or_not_found_follows_each_pairs_rules_and_a_nudge_reaches_both_once_the_pair_is_woken()
    {
        await using var app = NewApp();
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 3);
        await AtFirstCheckInAsync(app, cohortId);
        var ids = (await PairsAsync(app.Admin, cohortId)).Select(Id).Order(StringComparer.Ordinal).ToList();
        var nudgedPair = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{ids[2]}"))!;
        var both = new[] { nudgedPair["mentee"]!["email"]!.GetValue<string>(), nudgedPair["mentor"]!["email"]!.GetValue<string>() };
        var before = (await app.App.Stack.Inbox.WaitForAsync(both, 4)).Count;
        async Task<JsonObject> BulkAsync(object body)
        {
            using var response = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/bulk", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }

        var paused = await BulkAsync(new { action = "pause", pairIds = new[] { ids[0], ids[1], ids[1], "pair-0000000000000000dead" } });
        var again = await BulkAsync(new { action = "pause", pairIds = new[] { ids[0] } });
        var nudged = await BulkAsync(new { action = "nudge", pairIds = new[] { ids[0], ids[2] } });
        // No catch-up here: the nudged pair's orchestration is woken after the request answered, and sends the reminder itself.
        var reminders = (await app.App.Stack.Inbox.WaitForAsync(both, before + 2)).Skip(before).ToList();
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!;

        Assert.Equal((2, 0, 1), (paused["done"]!.GetValue<int>(), paused["refused"]!.GetValue<int>(), paused["notFound"]!.GetValue<int>()));
        Assert.Equal(["done", "done", "notFound"], paused["results"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal("paused", paused["results"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("refused", again["results"]![0]!["outcome"]!.GetValue<string>());
        Assert.Contains("paused", again["results"]![0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["refused", "done"], nudged["results"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal(2, reminders.Count);
        Assert.Equal(both.Order(StringComparer.OrdinalIgnoreCase), reminders.Select(e => e.To.Single().Address).Order(StringComparer.OrdinalIgnoreCase));
        Assert.All(reminders, e => Assert.Contains("check-in", e.Subject, StringComparison.OrdinalIgnoreCase));
        // Two pauses and one nudge: what was refused is not an action; the reason says it was a bulk action, and of how many pairs.
        Assert.Equal(["in a bulk action (2 pairs asked)", "in a bulk action (3 pairs asked)", "in a bulk action (3 pairs asked)"],
            audit.Select(a => a!["detail"]?.GetValue<string>()).Where(d => d?.StartsWith("in a bulk action", StringComparison.Ordinal) == true).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{\"action\":\"explode\",\"pairIds\":[\"pair-1\"]}", "action")]
    [InlineData("{\"action\":\"pause\",\"pairIds\":[]}", "pairIds")]
    [InlineData("{\"action\":\"pause\"}", "pairIds")]
    [InlineData("{\"action\":\"pause\",\"pairIds\":[\"pair-1\",\"../etc\"]}", "pairIds[1]")]
    public async Task A_bad_bulk_request_is_a_400_naming_the_field(string body, string field)
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());

        using var response = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/pairs/bulk", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, Api.ErrorFields(await Api.ProblemAsync(response)));
    }

    [Fact]
    public async Task A_message_is_previewed_with_its_count_then_sent_once_per_person_with_their_own_manage_link_and_noted_on_each_pairs_timeline()
    {
        await using var app = NewApp();
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 2);
        await app.TickAsync();
        var mentees = (await PairsAsync(app.Admin, cohortId)).Select(p => p!["mentee"]!["email"]!.GetValue<string>()).ToList();
        var mentors = (await PairsAsync(app.Admin, cohortId)).Select(p => p!["mentor"]!["email"]!.GetValue<string>()).ToList();
        var subject = $"Meet-up at the meeting {tag}";
        var body = new { audience = "mentees", subject, body = "Dear all,\n\nWe meet at the <b>welcome</b> reception on Friday." };
        async Task<HttpResponseMessage> SendAsync(object message, string? key = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cohorts/{cohortId}/messages") { Content = JsonContent.Create(message) };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }
            return await app.Admin.SendAsync(request);
        }

        using var preview = await SendAsync(new { body.audience, body.subject, body.body, preview = true });
        var previewed = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
        var listedAfterPreview = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/messages"))!;
        using var first = await SendAsync(body, "compose-1");
        using var repeated = await SendAsync(body, "compose-1");
        await app.TickAsync();
        var received = (await app.App.Stack.Inbox.WaitForAsync(mentees, 4)).Where(e => e.Subject.Contains(subject, StringComparison.Ordinal)).ToList();
        var toMentors = (await app.App.Stack.Inbox.AllAsync()).Where(e => e.Subject.Contains(subject, StringComparison.Ordinal) && e.To.Any(t => mentors.Contains(t.Address))).ToList();
        var listed = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/messages"))!;
        var timeline = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{Id((await PairsAsync(app.Admin, cohortId))[0])}"))!["history"]!.AsArray();
        var manage = System.Text.RegularExpressions.Regex.Match(received[0].Text!, @"(http://mentorflow\.test/m/\S+)").Groups[1].Value;
        using var managePage = await app.Public.GetAsync(new Uri(manage).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(2, previewed["recipients"]!.GetValue<int>());
        Assert.Contains("welcome</b> reception", previewed["preview"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;welcome&lt;/b&gt;", previewed["preview"]!["html"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(listedAfterPreview);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal(Id(await first.Content.ReadFromJsonAsync<JsonObject>()), Id(await repeated.Content.ReadFromJsonAsync<JsonObject>()));
        Assert.Equal(mentees.Order(StringComparer.OrdinalIgnoreCase), received.Select(e => e.To.Single().Address).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Empty(toMentors);
        var stored = Assert.Single(listed)!;
        Assert.Equal((2, 0, "admin"), (stored["recipients"]!.GetValue<int>(), stored["pending"]!.GetValue<int>(), stored["actor"]!.GetValue<string>()));
        Assert.Contains(timeline, h => h!["summary"]!.GetValue<string>() == $"message “{subject}” sent to the mentee");
        Assert.Equal(HttpStatusCode.OK, managePage.StatusCode);
        Assert.Contains(received[0].To.Single().Name ?? "", await managePage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"audience\":\"everyone\",\"subject\":\"Hi\",\"body\":\"Text\"}", "audience", 400)]
    [InlineData("{\"audience\":\"pair:pair-0000000000000000dead\",\"subject\":\"Hi\",\"body\":\"Text\"}", "audience", 400)]
    [InlineData("{\"audience\":\"all\",\"subject\":\"<script>\",\"body\":\"Text\"}", "subject", 400)]
    [InlineData("{\"audience\":\"all\",\"subject\":\"Hi\"}", "body", 400)]
    [InlineData("{\"audience\":\"unanswered\",\"subject\":\"Hi\",\"body\":\"Text\"}", null, 409)]
    public async Task A_bad_message_is_a_4xx_naming_the_field_and_nothing_is_stored(string body, string? field, int status)
    {
        await using var app = NewApp();
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 1);

        using var response = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/messages", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await Api.ProblemAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        if (field is not null)
        {
            Assert.Contains(field, Api.ErrorFields(problem));
        }
        Assert.Empty((await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/messages"))!);
    }

    [Fact]
    public async Task A_help_request_opens_a_case_the_email_links_to_which_an_admin_takes_and_resolves_with_a_note_and_the_audit_trail_keeps()
    {
        await using var app = NewApp();
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 1);
        await AtFirstCheckInAsync(app, cohortId);
        var pair = (await PairsAsync(app.Admin, cohortId))[0]!;
        var mentee = pair["mentee"]!["email"]!.GetValue<string>();
        var checkIn = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([mentee], e => e.Subject.Contains("month 1 check-in", StringComparison.Ordinal), 1));
        var help = System.Text.RegularExpressions.Regex.Match(checkIn.Text!, @"We need help: (\S+)").Groups[1].Value;
        var rivera = As(app, RiveraKey);

        (await app.Public.PostAsync(new Uri(help).PathAndQuery, null)).EnsureSuccessStatusCode();
        var alert = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], 1));
        var open = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/alerts?state=open"))!;
        var caseId = Id(Assert.Single(open));
        using var taken = await rivera.PostAsJsonAsync($"/api/cohorts/{cohortId}/alerts/{caseId}/acknowledge", new { note = "Calling the mentee today." });
        using var noNote = await rivera.PostAsJsonAsync($"/api/cohorts/{cohortId}/alerts/{caseId}/resolve", new { note = " " });
        using var resolved = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/alerts/{caseId}/resolve", new { note = "They meet on Friday." });
        using var again = await rivera.PostAsJsonAsync($"/api/cohorts/{cohortId}/alerts/{caseId}/resolve", new { note = "Twice?" });
        using var unknown = await rivera.PostAsJsonAsync($"/api/cohorts/{cohortId}/alerts/alert-00000000000000000000/acknowledge", new { note = "?" });
        using var badState = await rivera.GetAsync($"/api/cohorts/{cohortId}/alerts?state=forgotten");
        var final = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/alerts/{caseId}"))!;
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit?target={Id(pair)}"))!;

        Assert.Equal(("needsHelp", Id(pair), "open"), (open[0]!["kind"]!.GetValue<string>(), open[0]!["pairId"]!.GetValue<string>(), open[0]!["state"]!.GetValue<string>()));
        Assert.Contains($"http://mentorflow.test/console/cohorts/{cohortId}/alerts/{caseId}", alert.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var takenCase = (await taken.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("acknowledged", "Dr Rivera"), (takenCase["state"]!.GetValue<string>(), takenCase["owner"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Contains("note", Api.ErrorFields(await Api.ProblemAsync(noNote)));
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Equal(("resolved", "Dr Rivera"), (final["state"]!.GetValue<string>(), final["owner"]!.GetValue<string>()));
        Assert.Equal([("Dr Rivera", "Calling the mentee today."), ("admin", "They meet on Friday.")],
            final["notes"]!.AsArray().Select(n => (n!["by"]!.GetValue<string>(), n["text"]!.GetValue<string>())));
        Assert.Equal(["AcknowledgeAlert", "ResolveAlert"], audit.Select(a => a!["action"]!.GetValue<string>()).Where(a => a.EndsWith("Alert", StringComparison.Ordinal)));
        Assert.Empty((await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/alerts?state=open"))!);
    }
}
