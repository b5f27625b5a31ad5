using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The admin's roster over HTTP: a CSV import with a result per row, adding and correcting a registration, pairing a mentee with no live pair.</summary>
public class RosterTests
{
    private static FakeClockApp NewApp() => new(LocalStack.GetAsync().GetAwaiter().GetResult(), FakeClockApp.Clock());

    private const string Header = "role,firstName,lastName,email,careerStage,specialty,practiceSetting,institution,city,region,country,timeZone,aspects,attendingNationalMeeting,goals,capacity";

    private static string Line(string role, string first, string last, string email, string stage = "trainee", string aspects = "research;wellbeing", string attending = "yes", string capacity = "") =>
        $"{role},{first},{last},{email},{stage},Cardiology,academic,\"Mercy, Hospital\",Denver,CO,US,America/Denver,{aspects},{attending},\"Grow as a \"\"clinician\"\"\",{capacity}";

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient admin, string cohortId, string csv, string type = "text/csv") =>
        await admin.PostAsync($"/api/cohorts/{cohortId}/participants/import", new StringContent(csv, Encoding.UTF8, type));

    [Fact]
    public async Task An_import_adds_each_valid_row_answers_each_invalid_one_with_its_line_and_field_and_each_person_added_gets_their_own_confirmation_email()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        var known = Api.UniqueEmail("known");
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(known))).EnsureSuccessStatusCode();
        var (ana, ben) = (Api.UniqueEmail("ana"), Api.UniqueEmail("ben"));
        var csv = string.Join("\r\n", Header,
            Line("mentee", "Ana", "Quill", ana),
            Line("mentor", "Ben", "Vance", ben, stage: "late", capacity: "2"),
            Line("mentee", "Cy", "Tamura", "not-an-address"),
            Line("mentee", "Di", "Ross", Api.UniqueEmail("di"), aspects: "juggling"),
            Line("mentee", "Known", "Person", known),
            "") + "\n";

        using var response = await ImportAsync(app.Admin, cohortId, csv);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var rows = result["rows"]!.AsArray();
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default); // this app's outbox does not run by itself: send what is owed
        var emails = await app.App.Stack.Inbox.WaitForAsync([ana, ben], 2);
        var participants = await Api.ParticipantsAsync(app.Admin, cohortId);
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((2, 1, 2), (result["added"]!.GetValue<int>(), result["alreadyRegistered"]!.GetValue<int>(), result["invalid"]!.GetValue<int>()));
        Assert.Equal(["added", "added", "invalid", "invalid", "alreadyRegistered"], rows.Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal([2, 3, 4, 5, 6], rows.Select(r => r!["line"]!.GetValue<int>()));
        Assert.Contains("email", rows[2]!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("aspects", rows[3]!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(3, participants.Count); // the known person once, Ana and Ben: nothing invalid stored
        var added = participants.Single(p => p!["email"]!.GetValue<string>() == ana)!;
        Assert.Equal(("unconfirmed", "Mercy, Hospital", "Grow as a \"clinician\""),
            (added["status"]!.GetValue<string>(), added["institution"]!.GetValue<string>(), added["goals"]!.GetValue<string>()));
        Assert.Equal(["research", "wellbeing"], added["aspects"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.All(emails, e => Assert.Contains("/c/", e.Text, StringComparison.Ordinal)); // each their own confirmation link
        Assert.Equal(emails.Select(e => e.To.Single().Address).Order(StringComparer.OrdinalIgnoreCase), new[] { ana, ben }.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "ImportParticipants" && a["detail"]!.GetValue<string>() == "2 added, 1 already registered, 2 invalid");
    }

    [Theory]
    [InlineData("role,firstName\nmentee,Ana\n", "columns")]
    [InlineData("role,firstName,lastName,email,careerStage,specialty,practiceSetting,institution,city,region,country,timeZone,aspects,attendingNationalMeeting,goals,shoeSize\nmentee\n", "columns")]
    [InlineData("role,firstName\n\"mentee,Ana\n", "csv")]
    [InlineData("", "csv")]
    public async Task A_file_the_import_cannot_read_is_a_400_naming_what_is_wrong_and_stores_nobody(string csv, string field)
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());

        using var response = await ImportAsync(app.Admin, cohortId, csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, Api.ErrorFields(await Api.ProblemAsync(response)));
        Assert.Empty(await Api.ParticipantsAsync(app.Admin, cohortId));
    }

    [Fact]
    public async Task An_import_that_is_not_csv_is_a_415_and_one_into_a_launched_cohort_a_409()
    {
        await using var app = NewApp();
        var (launched, _) = await Launch.CohortAsync(app, pairs: 1);
        var open = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());

        using var json = await ImportAsync(app.Admin, open, "{}", "application/json");
        using var late = await ImportAsync(app.Admin, launched, Header + "\n" + Line("mentee", "Ana", "Quill", Api.UniqueEmail("late")) + "\n");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task An_admin_adds_a_person_after_intake_closed_and_corrects_a_registration_with_the_forms_rules_but_not_the_address()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null)).EnsureSuccessStatusCode();
        var email = Api.UniqueEmail("late");
        var body = Api.Mentee(email);
        body.Remove("consent"); // the person's consent is theirs to give, when they confirm

        using var added = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/participants", body);
        using var twice = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/participants", body);
        using var publicForm = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee()); // members cannot: intake is closed
        var id = (await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        body["institution"] = "Denver Health";
        using var corrected = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/participants/{id}", body);
        body["careerStage"] = "late"; // not a mentee's stage in this cohort
        using var invalid = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/participants/{id}", body);
        body["careerStage"] = "trainee";
        body["email"] = Api.UniqueEmail("other");
        using var readdressed = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/participants/{id}", body);
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default);
        var confirmation = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([email], 1));
        var stored = (await Api.ParticipantsAsync(app.Admin, cohortId)).Single()!;
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!.Select(a => a!["action"]!.GetValue<string>()).ToList();

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, publicForm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("careerStage", Api.ErrorFields(await Api.ProblemAsync(invalid)));
        Assert.Equal(HttpStatusCode.BadRequest, readdressed.StatusCode);
        Assert.Contains("email", Api.ErrorFields(await Api.ProblemAsync(readdressed)));
        Assert.Contains("/c/", confirmation.Text, StringComparison.Ordinal);
        Assert.Equal(("Denver Health", "trainee", email, "unconfirmed"),
            (stored["institution"]!.GetValue<string>(), stored["careerStage"]!.GetValue<string>(), stored["email"]!.GetValue<string>(), stored["status"]!.GetValue<string>()));
        Assert.Equal(1, audit.Count(a => a == "AddParticipant"));
        Assert.Equal(1, audit.Count(a => a == "EditParticipant"));
    }

    [Fact]
    public async Task A_mentee_whose_pair_ended_is_paired_again_with_a_free_mentor_never_the_one_before_and_the_new_pair_is_introduced()
    {
        await using var app = NewApp();
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 3); // the third pair stays live: a cohort whose every pair ended closes
        var pairs = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
        var ended = pairs[0]!;
        var (menteeId, oldMentorId) = (ended["mentee"]!["participantId"]!.GetValue<string>(), ended["mentor"]!["participantId"]!.GetValue<string>());
        var otherMentee = pairs[1]!["mentee"]!["participantId"]!.GetValue<string>();
        using var live = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/participants/{menteeId}/pair", null);
        (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{ended["id"]!.GetValue<string>()}/cancel", new { reason = "moved" })).EnsureSuccessStatusCode();
        using var withOld = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/participants/{menteeId}/pair", new { mentorId = oldMentorId });
        using var noneFree = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/participants/{menteeId}/pair", null); // the other mentors are taken
        (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{pairs[1]!["id"]!.GetValue<string>()}/cancel", new { reason = "left" })).EnsureSuccessStatusCode();
        var freed = pairs[1]!["mentor"]!["participantId"]!.GetValue<string>();
        using var paired = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/participants/{menteeId}/pair", null);
        using var mentorAsMentee = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/participants/{oldMentorId}/pair", null);
        var pair = (await paired.Content.ReadFromJsonAsync<JsonObject>())!;
        var both = new[] { pair["mentee"]!["email"]!.GetValue<string>(), pair["mentor"]!["email"]!.GetValue<string>() };
        await app.TickAsync();
        var names = $"{pair["mentee"]!["name"]!.GetValue<string>()} & {pair["mentor"]!["name"]!.GetValue<string>()}";
        var introductions = new List<InboxEmail>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); introductions.Count < 2 && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            introductions = [.. (await app.App.Stack.Inbox.WaitForAsync(both, 0)).Where(e => e.Subject.Contains(names, StringComparison.Ordinal))];
        }
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit?target={menteeId}"))!;
        // Once every pair has ended the cohort closes, and nobody can be paired into it.
        foreach (var still in new[] { pair["id"]!.GetValue<string>(), pairs[2]!["id"]!.GetValue<string>() })
        {
            (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{still}/cancel", new { reason = "left" })).EnsureSuccessStatusCode();
        }
        await app.TickAsync();
        var closed = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["status"]!.GetValue<string>();
        using var afterClose = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/participants/{menteeId}/pair", null);

        Assert.Equal(HttpStatusCode.Conflict, live.StatusCode); // a live pair is rematched, not paired again
        Assert.Equal(HttpStatusCode.BadRequest, withOld.StatusCode);
        Assert.Contains("mentorId", Api.ErrorFields(await Api.ProblemAsync(withOld)));
        Assert.Equal(HttpStatusCode.Conflict, noneFree.StatusCode);
        Assert.Equal(HttpStatusCode.Created, paired.StatusCode);
        Assert.Equal((menteeId, freed), (pair["mentee"]!["participantId"]!.GetValue<string>(), pair["mentor"]!["participantId"]!.GetValue<string>()));
        Assert.NotEqual(otherMentee, pair["mentee"]!["participantId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, mentorAsMentee.StatusCode);
        Assert.Equal(both.Order(StringComparer.OrdinalIgnoreCase), introductions.Select(e => e.To.Single().Address).Order(StringComparer.OrdinalIgnoreCase)); // the new pair is introduced to both
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "PairParticipant" && a["detail"]!.GetValue<string>() == $"with mentor {freed}");
        Assert.Equal("closed", closed);
        Assert.Equal(HttpStatusCode.Conflict, afterClose.StatusCode);
    }
}
