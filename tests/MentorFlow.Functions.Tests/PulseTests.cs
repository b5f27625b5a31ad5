using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

/// <summary>The mid-term pulse over HTTP: set before launch, asked in that month's check-in by each person's own link, answered once, in the report.</summary>
public partial class PulseTests
{
    [GeneratedRegex(@"a minute at most: (\S+)")]
    private static partial Regex PulseLink();

    private static readonly object Pulse = new
    {
        month = 1,
        questions = new object[]
        {
            new { label = "How is it going?", type = "choice", options = new[] { "Well", "So-so", "Badly" }, required = true },
            new { label = "Anything we should know?", type = "text" },
        },
    };

    [Fact]
    public async Task A_pulse_set_before_launch_is_asked_in_its_months_check_in_answered_once_by_each_persons_own_link_and_counted_in_the_report()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        HttpResponseMessage? pastTerm = null, tooMany = null, set = null;
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 1, termMonths: 3, beforeLaunch: async id =>
        {
            pastTerm = await app.Admin.PutAsJsonAsync($"/api/cohorts/{id}/pulse", new { month = 3, questions = new[] { new { label = "Q", type = "text" } } });
            tooMany = await app.Admin.PutAsJsonAsync($"/api/cohorts/{id}/pulse", new { month = 1, questions = Enumerable.Repeat(new { label = "Q", type = "text" }, 3) });
            set = await app.Admin.PutAsJsonAsync($"/api/cohorts/{id}/pulse", Pulse);
        });
        using var afterLaunch = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/pulse", Pulse);
        await app.TickAsync();
        var pair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!;
        time.SetUtcNow(pair["nextDueAt"]!.GetValue<DateTimeOffset>());
        await app.TickAsync();
        var (mentee, mentor) = (pair["mentee"]!["email"]!.GetValue<string>(), pair["mentor"]!["email"]!.GetValue<string>());
        var checkIns = (await app.App.Stack.Inbox.WaitForAsync([mentee, mentor], 4)).Where(e => e.Subject.Contains("month 1 check-in", StringComparison.Ordinal)).ToList();
        string LinkOf(string to) => new Uri(PulseLink().Match(checkIns.Single(e => e.To.Single().Address == to).Text!).Groups[1].Value).PathAndQuery;
        var (menteeLink, mentorLink) = (LinkOf(mentee), LinkOf(mentor));

        var page = await app.Public.GetStringAsync(menteeLink);
        using var unanswered = await app.Public.PostAsync(menteeLink, new FormUrlEncodedContent([new("answers.q2", "Only a note")]));
        using var answered = await app.Public.PostAsync(menteeLink, new FormUrlEncodedContent([new("answers.q1", "Well"), new("answers.q2", "Zoom works for us")]));
        using var again = await app.Public.PostAsync(menteeLink, new FormUrlEncodedContent([new("answers.q1", "Badly")]));
        using var partner = await app.Public.PostAsync(mentorLink, new FormUrlEncodedContent([new("answers.q1", "So-so")]));
        var report = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report"))!["pulse"]!;
        var cohort = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!;

        Assert.Equal(HttpStatusCode.BadRequest, pastTerm!.StatusCode);
        Assert.Contains("month", Api.ErrorFields(await Api.ProblemAsync(pastTerm)));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany!.StatusCode);
        Assert.Contains("questions", Api.ErrorFields(await Api.ProblemAsync(tooMany)));
        Assert.Equal(HttpStatusCode.OK, set!.StatusCode);
        Assert.Equal(1, cohort["pulse"]!["month"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Conflict, afterLaunch.StatusCode);
        Assert.NotEqual(menteeLink, mentorLink); // a link is a key: each person has their own
        Assert.Contains("How is it going? *", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unanswered.StatusCode);
        Assert.Contains("Please answer", await unanswered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("first answers stand", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, partner.StatusCode);
        Assert.Equal((2, 2), (report["asked"]!.GetValue<int>(), report["answered"]!.GetValue<int>()));
        var going = report["questions"]![0]!["counts"]!;
        Assert.Equal((1, 1, 0), (going["Well"]!.GetValue<int>(), going["So-so"]!.GetValue<int>(), going["Badly"]!.GetValue<int>()));
        Assert.Equal(["Zoom works for us"], report["questions"]![1]!["texts"]!.AsArray().Select(t => t!.GetValue<string>()));
    }
}
