using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

/// <summary>A cohort's own intake questions over HTTP: set, answered through the form's JSON and the form's post, refused when wrong, exported and imported.</summary>
public class QuestionsTests
{
    private static FakeClockApp NewApp() => new(LocalStack.GetAsync().GetAwaiter().GetResult(), FakeClockApp.Clock());

    private static readonly object[] Questions =
    [
        new { label = "Which practice setting do you work in most?", type = "choice", options = new[] { "Urban", "Rural" }, required = true },
        new { label = "Which languages do you mentor in?", type = "multiChoice", options = new[] { "English", "Spanish", "French" }, required = false },
    ];

    [Fact]
    public async Task Questions_set_by_an_admin_are_answered_on_registration_refused_when_wrong_shown_on_the_form_and_exported()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        using var set = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/questions", Questions);
        using var bad = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/questions", new object[] { new { label = "Q", type = "choice", options = new[] { "one" } } });
        var answered = Api.Mentee(Api.UniqueEmail("answers"));
        answered["answers"] = new JsonObject { ["q1"] = new JsonArray("Rural"), ["q2"] = new JsonArray("Spanish", "French") };
        using var registered = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", answered);
        var unanswered = Api.Mentee(Api.UniqueEmail("unanswered"));
        using var missing = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", unanswered);
        unanswered["answers"] = new JsonObject { ["q1"] = new JsonArray("Suburban") };
        using var wrong = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", unanswered);
        var form = await app.Public.GetStringAsync($"/cohorts/{cohortId}/join");
        var person = (await Api.ParticipantsAsync(app.Admin, cohortId)).Single()!;
        var cohort = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!;

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(["q1", "q2"], cohort["questions"]!.AsArray().Select(q => q!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("questions[0].options", Api.ErrorFields(await Api.ProblemAsync(bad)));
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        Assert.Equal(["Spanish", "French"], person["answers"]!["q2"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("answers.q1", Api.ErrorFields(await Api.ProblemAsync(missing)));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("answers.q1", Api.ErrorFields(await Api.ProblemAsync(wrong)));
        Assert.Contains("Which practice setting do you work in most? *", form, StringComparison.Ordinal);
        Assert.Contains("name=\"answers.q2\"", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_reads_the_questions_columns_as_the_export_writes_them_and_questions_are_fixed_once_intake_closes()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        (await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/questions", Questions)).EnsureSuccessStatusCode();
        var email = Api.UniqueEmail("imported");
        var csv = "role,firstName,lastName,email,careerStage,specialty,practiceSetting,institution,city,region,country,timeZone,aspects,attendingNationalMeeting,goals,answers.q1,answers.q2\n" +
            $"mentee,Ivy,Imported,{email},trainee,Cardiology,academic,Mercy,Denver,CO,US,America/Denver,research,yes,Publish,Urban,English;French\n";

        using var imported = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/participants/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var person = (await Api.ParticipantsAsync(app.Admin, cohortId)).Single()!;
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null)).EnsureSuccessStatusCode();
        using var late = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/questions", Array.Empty<object>());

        Assert.Equal(1, (await imported.Content.ReadFromJsonAsync<JsonObject>())!["added"]!.GetValue<int>());
        Assert.Equal(["Urban"], person["answers"]!["q1"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["English", "French"], person["answers"]!["q2"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task A_weighted_choice_question_steers_the_matching_to_the_mentor_who_answered_alike_and_the_review_says_why()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        using var textWeighted = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/questions",
            new object[] { new { label = "Anything else?", type = "text", matchWeight = 3 } });
        using var set = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/questions",
            new object[] { new { label = "Which track?", type = "choice", options = new[] { "Clinical", "Research" }, required = true, matchWeight = 6 } });
        async Task<string> RegisterAsync(JsonObject body, string track, string timeZone)
        {
            body["answers"] = new JsonObject { ["q1"] = new JsonArray(track) };
            body["timeZone"] = timeZone;
            using var response = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", body);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["participantId"]!.GetValue<string>();
        }
        await RegisterAsync(Api.Mentee(), "Research", "America/Chicago");
        var nearby = Api.Mentor();
        nearby["institution"] = "Mercy";
        var nearbyId = await RegisterAsync(nearby, "Clinical", "America/Chicago"); // the same time zone: better but for the track
        var alike = Api.Mentor();
        alike["institution"] = "Mercy West";
        alike["lastName"] = "Alike";
        var alikeId = await RegisterAsync(alike, "Research", "Europe/London");
        await Api.ConfirmAllAsync(app.Admin, cohortId);
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null)).EnsureSuccessStatusCode();
        using var run = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/matching", null);
        var pair = (await run.Content.ReadFromJsonAsync<JsonObject>())!["pairs"]!.AsArray().Single()!;
        var cohort = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!;

        Assert.Equal(HttpStatusCode.BadRequest, textWeighted.StatusCode);
        Assert.Contains("questions[0].matchWeight", Api.ErrorFields(await Api.ProblemAsync(textWeighted)));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(6, cohort["questions"]![0]!["matchWeight"]!.GetValue<double>());
        Assert.Equal(alikeId, pair["mentorId"]!.GetValue<string>());
        Assert.NotEqual(nearbyId, pair["mentorId"]!.GetValue<string>());
        Assert.Contains("both answered “Research” to “Which track?”", pair["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
    }
}
