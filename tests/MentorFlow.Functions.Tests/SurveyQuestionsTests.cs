using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The closing survey's own questions over HTTP: set until launch, asked with the survey, checked, counted in the report, erased with their writer.</summary>
public partial class SurveyQuestionsTests
{
    [GeneratedRegex(@"(http\S+/r/\S+)")]
    private static partial Regex ResponseLink();

    [GeneratedRegex(@"(http\S+/m/[A-Za-z0-9_\-\.]+)")]
    private static partial Regex ManageLink();

    private static readonly object[] Questions =
    [
        new { label = "Which format worked best?", type = "choice", options = new[] { "In person", "Video", "Phone" }, required = true },
        new { label = "One piece of advice for next year's pairs?", type = "text" },
    ];

    private static Dictionary<string, string> Standard() => new()
    {
        ["satisfaction"] = "4", ["goalsMet"] = "yes", ["willContinue"] = "true", ["wouldJoinAgain"] = "true", ["wouldMentor"] = "false",
    };

    [Fact]
    public async Task Survey_questions_set_before_launch_are_asked_with_the_survey_required_ones_enforced_counted_in_the_report_and_erased_with_their_writer()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        HttpResponseMessage? weighted = null, six = null, set = null;
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 1, termMonths: 3, beforeLaunch: async id =>
        {
            weighted = await app.Admin.PutAsJsonAsync($"/api/cohorts/{id}/survey/questions",
                new[] { new { label = "Track?", type = "choice", options = new[] { "A", "B" }, matchWeight = 5 } });
            six = await app.Admin.PutAsJsonAsync($"/api/cohorts/{id}/survey/questions", Enumerable.Repeat(new { label = "Q", type = "text" }, 6));
            set = await app.Admin.PutAsJsonAsync($"/api/cohorts/{id}/survey/questions", Questions);
        });
        using var afterLaunch = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/survey/questions", Questions);
        await app.TickAsync();
        var pair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!;
        var (menteeId, menteeEmail) = (pair["mentee"]!["participantId"]!.GetValue<string>(), pair["mentee"]!["email"]!.GetValue<string>());
        (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{pair["id"]}/cancel", new { reason = "moved away" })).EnsureSuccessStatusCode();
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default);
        var inbox = await app.App.Stack.Inbox.WaitForAsync([menteeEmail], 3);
        var ended = inbox.Single(e => e.Subject.EndsWith("your mentoring pair has ended", StringComparison.Ordinal));
        var survey = new Uri(ResponseLink().Match(ended.Text!).Groups[1].Value).PathAndQuery;
        var manage = new Uri(ManageLink().Match(inbox.Single(e => e.Subject.Contains("registered as a", StringComparison.Ordinal)).Text!).Groups[1].Value).PathAndQuery;

        var page = await app.Public.GetStringAsync(survey);
        using var missing = await app.Public.PostAsync(survey, new FormUrlEncodedContent(Standard()));
        using var notAnOption = await app.Public.PostAsync(survey, new FormUrlEncodedContent(new Dictionary<string, string>(Standard()) { ["answers.q1"] = "Carrier pigeon" }));
        using var answered = await app.Public.PostAsync(survey, new FormUrlEncodedContent(new Dictionary<string, string>(Standard())
        {
            ["answers.q1"] = "Video", ["answers.q2"] = "Set the dates in the first week",
        }));
        using var changeMissing = await app.Public.PostAsync(manage + "/survey", new FormUrlEncodedContent(Standard()));
        var report = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report"))!["surveyQuestions"]!;
        var stored = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}"))!["survey"]![menteeId]!["answers"]!;
        var cohort = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!;
        using var erased = await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/participants/{menteeId}");
        var reportAfter = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report"))!["surveyQuestions"]!;

        Assert.Equal(HttpStatusCode.BadRequest, weighted!.StatusCode);
        Assert.Equal(["questions[0].matchWeight"], Api.ErrorFields(await Api.ProblemAsync(weighted)));
        Assert.Equal(HttpStatusCode.BadRequest, six!.StatusCode);
        Assert.Equal(["questions"], Api.ErrorFields(await Api.ProblemAsync(six)));
        Assert.Equal(HttpStatusCode.OK, set!.StatusCode);
        Assert.Equal(["q1", "q2"], cohort["surveyQuestions"]!.AsArray().Select(q => q!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, afterLaunch.StatusCode);
        Assert.True(page.Contains("Which format worked best? *", StringComparison.Ordinal), page);
        Assert.Contains("name=\"answers.q2\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var summary = Regex.Replace(await missing.Content.ReadAsStringAsync(), "<[^>]+>", "");
        Assert.True(summary.Contains("Which format worked best?: Required.", StringComparison.Ordinal), summary);
        Assert.Equal(HttpStatusCode.BadRequest, notAnOption.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, changeMissing.StatusCode); // the manage page's change asks the same questions
        Assert.Equal(["Video"], stored["q1"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal((0, 1, 0), (report[0]!["counts"]!["In person"]!.GetValue<int>(), report[0]!["counts"]!["Video"]!.GetValue<int>(), report[0]!["counts"]!["Phone"]!.GetValue<int>()));
        Assert.Equal(["Set the dates in the first week"], report[1]!["texts"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        Assert.Equal(1, reportAfter[0]!["counts"]!["Video"]!.GetValue<int>()); // the choice still counts
        Assert.Empty(reportAfter[1]!["texts"]!.AsArray()); // what they wrote goes
    }
}
