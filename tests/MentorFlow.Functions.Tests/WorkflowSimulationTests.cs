using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// A whole cohort through its nine-month term on the real local stack, with only time faked: one cohort orchestration and
/// 50 pair orchestrations on the local Durable Task engine (Azurite), 50 pairs with scripted behaviour answer the real
/// emails' links over HTTP, and every email each person received is counted in MailDev.
/// </summary>
public partial class WorkflowSimulationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = FakeClockApp.Clock();
    private FakeClockApp _app = null!;
    private HttpClient _admin = null!;
    private HttpClient _public = null!;

    public async Task InitializeAsync()
    {
        _app = new FakeClockApp(await LocalStack.GetAsync(), _time);
        _admin = _app.Admin;
        _public = _app.Public;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private const int Pairs = 50;
    private static bool NeverAnswers(int i) => i < 10;
    private static bool AsksForHelp(int i) => i is >= 10 and < 15;
    private const int Paused = 15, Rematched = 16, Cancelled = 17;
    private static bool AnswersSurvey(int i) => i >= 20;

    [Fact]
    public async Task Fifty_pairs_run_their_nine_months_and_every_person_gets_exactly_the_emails_their_behaviour_calls_for()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string Email(string who, int i) => $"{who}{i:D2}.{tag}@sim.test";
        var cohortBody = Api.CohortBody("Simulated cohort");
        cohortBody["nationalMeeting"]!["startsOn"] = "2027-03-25";
        cohortBody["intakeClosesOn"] = "2027-01-15";
        cohortBody["programStartsOn"] = "2027-02-01";
        cohortBody["adminEmails"] = new JsonArray($"admins.{tag}@sim.test");
        cohortBody["launchMode"] = "onApproval";
        using var created = await _admin.PostAsJsonAsync("/api/cohorts", cohortBody);
        var cohortId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        (await _admin.PostAsync($"/api/cohorts/{cohortId}/intake/open", null)).EnsureSuccessStatusCode();
        for (var i = 0; i <= Pairs; i++)
        {
            if (i < Pairs)
            {
                var mentee = Api.Mentee(Email("mentee", i));
                mentee["firstName"] = "Mentee";
                mentee["lastName"] = $"N{i:D2}";
                (await _public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentee)).EnsureSuccessStatusCode();
            }
            var mentor = Api.Mentor(Email("mentor", i));
            mentor["firstName"] = "Mentor";
            mentor["lastName"] = $"N{i:D2}";
            mentor["capacity"] = 1;
            mentor["institution"] = $"Teaching Hospital {i}";
            (await _public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentor)).EnsureSuccessStatusCode();
        }
        await Api.ConfirmAllAsync(_admin, cohortId);
        // Left to its own clock: intake closes at the end of 2027-01-15 (Chicago) and a proposal is computed at once;
        // the admins are told; once they approve, the cohort launches by itself (launchMode onApproval).
        _time.Advance(TimeSpan.FromDays(12));
        await _app.TickAsync();
        var proposal = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/matching");
        Assert.Equal((1, Pairs), (proposal!["version"]!.GetValue<int>(), proposal["quality"]!["matchedMentees"]!.GetValue<int>()));
        Assert.Equal("intakeClosed", (await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["status"]!.GetValue<string>());
        (await _admin.PostAsync($"/api/cohorts/{cohortId}/matching/approve", null)).EnsureSuccessStatusCode();
        var seen = await _app.App.Stack.Inbox.CountAsync();
        _time.Advance(TimeSpan.FromDays(3)); // launched on 2027-01-19, well before the introduction deadline
        await _app.TickAsync();
        Assert.Equal("running", (await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["status"]!.GetValue<string>());
        using var again = await _admin.PostAsync($"/api/cohorts/{cohortId}/launch", null);
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonObject>())!["created"]!.GetValue<int>());

        var pairs = (await _admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
        var indexOfPair = pairs.ToDictionary(p => p!["id"]!.GetValue<string>(), p => int.Parse(p!["mentee"]!["name"]!.GetValue<string>()[^2..]));
        var pairOfIndex = indexOfPair.ToDictionary(kv => kv.Value, kv => kv.Key);
        var originalMentor = pairs.First(p => indexOfPair[p!["id"]!.GetValue<string>()] == Rematched)!["mentor"]!["email"]!.GetValue<string>();
        var spare = (await Api.ParticipantsAsync(_admin, cohortId)).First(p => p!["role"]!.GetValue<string>() == "mentor"
            && pairs.All(x => x!["mentor"]!["participantId"]!.GetValue<string>() != p["id"]!.GetValue<string>()))!;

        var received = new List<InboxEmail>();
        DateTimeOffset? pausedAt = null;
        for (var step = 0; step < 300; step++)
        {
            // Jump to the next moment anything is due (or the paused pair's resumption), as a real clock would reach it.
            var open = (await _admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!
                .Where(p => p!["status"]!.GetValue<string>() is not ("paused" or "completed" or "cancelled") && p["nextDueAt"] is not null)
                .Select(p => p!["nextDueAt"]!.GetValue<DateTimeOffset>())
                .Concat(pausedAt is { } p ? [p.AddDays(61)] : [])
                .DefaultIfEmpty(_time.GetUtcNow().AddDays(1)).Min();
            _time.SetUtcNow(open > _time.GetUtcNow() ? open : _time.GetUtcNow().AddMinutes(1));
            await _app.TickAsync(); // every orchestration answers the jump before the test reads the inbox
            var arrived = await _app.App.Stack.Inbox.SinceAsync(seen);
            seen += arrived.Count;
            var ours = arrived.Where(e => e.To.Any(t => t.Address.Contains(tag, StringComparison.Ordinal))).ToList();
            received.AddRange(ours);
            foreach (var email in ours)
            {
                await ActAsync(email);
            }
            if (pausedAt is { } since && _time.GetUtcNow() - since >= TimeSpan.FromDays(61))
            {
                (await _admin.PostAsync($"/api/cohorts/{cohortId}/pairs/{pairOfIndex[Paused]}/resume", null)).EnsureSuccessStatusCode();
                pausedAt = null;
            }
            var cohort = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");
            if (cohort!["status"]!.GetValue<string>() == "closed")
            {
                break;
            }
        }

        async Task ActAsync(InboxEmail email)
        {
            var check = CheckInSubject().Match(email.Subject);
            var mentee = email.To.Select(t => MenteeIndex().Match(t.Address)).FirstOrDefault(m => m.Success);
            if (mentee is null)
            {
                return;
            }
            var i = int.Parse(mentee.Groups[1].Value);
            if (check.Success && check.Groups[1].Value == "")
            {
                var month = int.Parse(check.Groups[2].Value);
                if (Answer(i, month) is { } label)
                {
                    await ClickAsync(email, $"Mentee N{i:D2}", label);
                }
                if (i == Paused && month == 2)
                {
                    (await _admin.PostAsync($"/api/cohorts/{cohortId}/pairs/{pairOfIndex[Paused]}/pause", null)).EnsureSuccessStatusCode();
                    pausedAt = _time.GetUtcNow();
                }
                if (i == Rematched && month == 4)
                {
                    (await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{pairOfIndex[Rematched]}/rematch",
                        new { mentorId = spare["id"]!.GetValue<string>() })).EnsureSuccessStatusCode();
                }
                if (i == Cancelled && month == 5)
                {
                    (await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{pairOfIndex[Cancelled]}/cancel", new { reason = "the mentor moved abroad" }))
                        .EnsureSuccessStatusCode();
                }
            }
            if (email.Subject.EndsWith(": closing survey", StringComparison.Ordinal) && AnswersSurvey(i))
            {
                foreach (var url in SurveyLink().Matches(email.Text ?? "").Select(m => m.Groups[1].Value))
                {
                    using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["satisfaction"] = (4 + i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["goalsMet"] = "yes", ["willContinue"] = "true", ["wouldJoinAgain"] = "true", ["wouldMentor"] = "false",
                    });
                    using var response = await _public.PostAsync(new Uri(url).PathAndQuery, form);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }
        }

        async Task ClickAsync(InboxEmail email, string name, string label)
        {
            var section = (email.Text ?? "")[(email.Text ?? "").IndexOf($"\n{name}:", StringComparison.Ordinal)..];
            var url = Regex.Match(section, $@"{label}: (\S+)").Groups[1].Value;
            using var page = await _public.GetAsync(new Uri(url).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            using var response = await _public.PostAsync(new Uri(url).PathAndQuery, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // ---- the outcome ----
        var finalCohort = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");
        var finalPairs = (await _admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!
            .ToDictionary(p => indexOfPair[p!["id"]!.GetValue<string>()], p => p!);
        int Count(string address, string kind) => received.Count(e => e.To.Any(t => t.Address == address) && Kind(e.Subject) == kind);

        Assert.Equal("closed", finalCohort!["status"]!.GetValue<string>());
        Assert.Equal(received.Count, received.Select(e => e.MessageId).Distinct().Count());
        for (var i = 0; i < Pairs; i++)
        {
            var mentee = Email("mentee", i);
            var checkIns = i == Cancelled ? 5 : 9;
            Assert.Equal(i == Cancelled ? "cancelled" : "completed", finalPairs[i]["status"]!.GetValue<string>());
            Assert.Equal(i == Rematched ? 2 : 1, Count(mentee, "introduction"));
            Assert.Equal(checkIns, Count(mentee, "check-in"));
            Assert.Equal(NeverAnswers(i) ? 9 : 0, Count(mentee, "reminder"));
            Assert.Equal(i == Cancelled ? 0 : 1, Count(mentee, "survey"));
            Assert.Equal(i == Cancelled || AnswersSurvey(i) ? 0 : 1, Count(mentee, "survey reminder"));
        }
        var newMentor = finalPairs[Rematched]["mentor"]!["email"]!.GetValue<string>();
        Assert.Equal(spare["email"]!.GetValue<string>(), newMentor);
        Assert.Equal((1, 5), (Count(newMentor, "introduction"), Count(newMentor, "check-in")));
        Assert.Equal((1, 4), (Count(originalMentor, "introduction"), Count(originalMentor, "check-in")));

        var admins = $"admins.{tag}@sim.test";
        Assert.Equal(10, Count(admins, "at risk"));
        Assert.Equal(5, Count(admins, "help"));
        Assert.Equal(1, Count(admins, "report"));
        Assert.Equal(0, Count(admins, "late"));
        // Weekly digests: some (pairs went at risk and asked for help), far fewer than the term's weeks (quiet weeks send none).
        var digests = received.Where(e => e.To.Any(t => t.Address == admins) && Kind(e.Subject) == "digest").Select(e => e.Text!).ToList();
        Assert.InRange(digests.Count, 1, 30);
        Assert.All(digests, d => Assert.Contains("at risk;", d));
        var pausedHistory = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pairOfIndex[Paused]}");
        Assert.Contains(pausedHistory!["history"]!.AsArray(), h => h!["summary"]!.GetValue<string>().StartsWith("resumed after 61 days", StringComparison.Ordinal));
        var report = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report");
        Assert.Equal(49, report!["byStatus"]!["completed"]!.GetValue<int>());
        Assert.Equal(10, report["everAtRisk"]!.GetValue<int>());
        Assert.Equal(4.5, report["meanSatisfaction"]!.GetValue<double>(), 1);
    }

    private static string? Answer(int i, int month) =>
        NeverAnswers(i) ? null : AsksForHelp(i) && month == 3 ? "We need help" : "We met";

    private static string Kind(string subject) => subject switch
    {
        _ when subject.Contains("meet your", StringComparison.Ordinal) => "introduction",
        _ when subject.Contains("reminder — month", StringComparison.Ordinal) => "reminder",
        _ when subject.Contains("check-in", StringComparison.Ordinal) => "check-in",
        _ when subject.EndsWith("reminder — closing survey", StringComparison.Ordinal) => "survey reminder",
        _ when subject.EndsWith("closing survey", StringComparison.Ordinal) => "survey",
        _ when subject.Contains("is at risk", StringComparison.Ordinal) => "at risk",
        _ when subject.Contains("asks for help", StringComparison.Ordinal) => "help",
        _ when subject.Contains("outcome report", StringComparison.Ordinal) => "report",
        _ when subject.Contains("introductions went out late", StringComparison.Ordinal) => "late",
        _ when subject.Contains("this week in the cohort", StringComparison.Ordinal) => "digest",
        _ => "other",
    };

    [GeneratedRegex(@": (reminder — )?month (\d+) check-in")]
    private static partial Regex CheckInSubject();

    [GeneratedRegex(@"^mentee(\d{2})\.")]
    private static partial Regex MenteeIndex();

    [GeneratedRegex(@": (http\S+/r/\S+)")]
    private static partial Regex SurveyLink();
}
