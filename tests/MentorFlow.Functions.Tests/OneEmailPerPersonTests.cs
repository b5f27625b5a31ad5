using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>A link is a key that acts for one person: every participant email goes to one person and carries only their links.</summary>
public partial class OneEmailPerPersonTests
{
    [Fact]
    public async Task Every_pair_email_goes_to_one_person_and_every_link_in_it_acts_for_that_person_alone()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 2);
        var outbox = app.App.Services.GetRequiredService<Outbox>();
        await outbox.SweepAsync(default);
        await app.TickAsync(); // introductions
        time.Advance(TimeSpan.FromDays(45));
        await app.TickAsync(); // check-in 1
        await outbox.SweepAsync(default);
        var pairs = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
        var people = pairs.SelectMany(p => new[] { p!["mentee"]!, p["mentor"]! })
            .ToDictionary(m => m["email"]!.GetValue<string>(), m => m["participantId"]!.GetValue<string>());
        var emails = (await app.App.Stack.Inbox.WaitForAsync(people.Keys, people.Count * 3))
            .Where(e => e.Subject.Contains("meet your", StringComparison.Ordinal) || e.Subject.Contains("check-in", StringComparison.Ordinal)).ToList();
        var tokens = app.App.Services.GetRequiredService<ResponseTokens>();

        Assert.Equal(people.Count * 2, emails.Count); // an introduction and a check-in for each person, none for two
        foreach (var email in emails)
        {
            var to = Assert.Single(email.To).Address;
            var links = Link().Matches(email.Html + "\n" + email.Text).Select(m => m.Groups[2].Value).Distinct().ToList();
            Assert.NotEmpty(links);
            foreach (var token in links)
            {
                var (grant, problem) = tokens.Read(Uri.UnescapeDataString(token), TokenPurpose.CheckIn, TokenPurpose.Survey, TokenPurpose.Manage);
                Assert.Equal(TokenProblem.None, problem);
                Assert.Equal(people[to], grant!.ParticipantId);
            }
        }

        // The partner's answer link cannot be had from this person's inbox: answering from one's own link records one's own answer only.
        var mine = emails.First(e => e.Subject.Contains("check-in", StringComparison.Ordinal));
        var answer = Link().Matches(mine.Text!).Select(m => m.Value).First(l => l.Contains("/r/", StringComparison.Ordinal));
        using var posted = await app.Public.PostAsync(new Uri(answer).PathAndQuery, null);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var pair = pairs.Single(p => people[Assert.Single(mine.To).Address] is var id && (p!["mentee"]!["participantId"]!.GetValue<string>() == id || p["mentor"]!["participantId"]!.GetValue<string>() == id))!;
        var history = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}"))!.ToJsonString();
        Assert.Contains(Assert.Single(mine.To).Name!, history);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/(r|m)/([^\s""<>/]+)")]
    private static partial Regex Link();
}
