using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

/// <summary>The mid-term pulse over HTTP: set before launch or during the term for a month no pair has reached, asked in that month's check-in by each person's own link, answered once, in the report.</summary>
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
        var checkIns = await app.App.Stack.Inbox.WaitForAsync([mentee, mentor], e => e.Subject.Contains("month 1 check-in", StringComparison.Ordinal), 2);
        string LinkOf(string to) => new Uri(PulseLink().Match(checkIns.Single(e => e.To.Single().Address == to).Text!).Groups[1].Value).PathAndQuery;
        var (menteeLink, mentorLink) = (LinkOf(mentee), LinkOf(mentor));
        using var movedOnceAsked = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/pulse", new { month = 2, questions = new[] { new { label = "Q", type = "text" } } });
        using var removedOnceAsked = await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/pulse");

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
        Assert.Equal(HttpStatusCode.OK, afterLaunch.StatusCode); // launched, but no pair has had month 1's check-in yet
        Assert.Equal(HttpStatusCode.Conflict, movedOnceAsked.StatusCode); // once it may have been asked, it stays
        Assert.Contains("may have been asked already", (await Api.ProblemAsync(movedOnceAsked))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, removedOnceAsked.StatusCode);
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

    [Fact]
    public async Task During_the_term_a_pulse_is_set_for_a_month_no_pair_has_reached_and_that_months_check_in_asks_it()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 1, termMonths: 3);
        await app.TickAsync();
        var pair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!;
        time.SetUtcNow(pair["nextDueAt"]!.GetValue<DateTimeOffset>()); // month 1's check-in goes out
        await app.TickAsync();
        var (mentee, mentor) = (pair["mentee"]!["email"]!.GetValue<string>(), pair["mentor"]!["email"]!.GetValue<string>());
        var monthOne = await app.App.Stack.Inbox.WaitForAsync([mentee, mentor], e => e.Subject.Contains("month 1 check-in", StringComparison.Ordinal), 2);

        using var past = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/pulse", Pulse); // month 1: gone out
        using var set = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/pulse", new { month = 2, questions = new[] { new { label = "Still meeting?", type = "text" } } });
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!;
        pair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!;
        while (pair["month"]!.GetValue<int>() < 2)
        {
            time.SetUtcNow(pair["nextDueAt"]!.GetValue<DateTimeOffset>()); // a reminder, then month 2's check-in
            await app.TickAsync();
            pair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!;
        }
        var monthTwo = await app.App.Stack.Inbox.WaitForAsync([mentee], e => e.Subject.Contains("month 2 check-in", StringComparison.Ordinal), 1);
        var page = await app.Public.GetStringAsync(new Uri(PulseLink().Match(Assert.Single(monthTwo).Text!).Groups[1].Value).PathAndQuery);

        Assert.Equal(2, monthOne.Count);
        Assert.All(monthOne, e => Assert.DoesNotMatch(PulseLink(), e.Text!));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.StartsWith("Month 1's check-ins may have gone out already", Assert.Single((await Api.ProblemAsync(past))["errors"]!["month"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "SetPulse" && a["detail"]!.GetValue<string>().StartsWith("month 2", StringComparison.Ordinal));
        Assert.Contains("Still meeting?", page, StringComparison.Ordinal);
    }
}
