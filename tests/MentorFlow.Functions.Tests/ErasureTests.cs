using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Functions.Tests;

/// <summary>Erasure reaches every document that names the person — pairs they left, reasons admins wrote, what they wrote in the survey — and the logs name nobody.</summary>
public partial class ParticipantTrustTests
{
    [Fact]
    public async Task A_mentor_who_withdrew_and_was_replaced_and_one_an_admin_named_in_a_cancel_reason_are_erased_without_trace_in_containers_answers_or_logs()
    {
        var time = FakeClockApp.Clock();
        var log = new ConcurrentQueue<string>();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time, services: s => s.AddSingleton<ILoggerProvider>(new CollectingLogs(log)));
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 3);
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default);
        await app.TickAsync();
        var pairs = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
        var (left, spare, other) = (pairs[0]!, pairs[1]!, pairs[2]!);
        var people = (await Api.ParticipantsAsync(app.Admin, cohortId)).ToDictionary(p => p!["id"]!.GetValue<string>(), p => p!);
        var leaver = people[left["mentor"]!["participantId"]!.GetValue<string>()];
        var named = people[other["mentor"]!["participantId"]!.GetValue<string>()];
        // The first withdraws and is replaced; the admin cancels the second's pair naming them by surname and first name.
        var receipt = (await app.App.Stack.Inbox.WaitForAsync([leaver["email"]!.GetValue<string>()], 3)).Single(e => e.Subject.Contains("registered as a", StringComparison.Ordinal));
        (await app.Public.PostAsync(new Uri(ManageLink().Match(receipt.Text!).Groups[1].Value).PathAndQuery + "/withdraw", null)).EnsureSuccessStatusCode();
        await app.TickAsync();
        (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{left["id"]}/rematch", new { mentorId = spare["mentor"]!["participantId"]!.GetValue<string>() })).EnsureSuccessStatusCode();
        var reason = $"Dr {named["lastName"]} moved abroad; {named["firstName"]} asked us to end it";
        (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{other["id"]}/cancel", new { reason })).EnsureSuccessStatusCode();
        var before = await EverythingStoredAsync(app);
        Assert.Contains(FullName(leaver), before, StringComparison.Ordinal); // the scan below would see them: the pair the leaver left names them
        Assert.Contains(reason, before, StringComparison.Ordinal);

        var erased = new List<HttpStatusCode>();
        foreach (var person in new[] { leaver, named })
        {
            using var response = await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/participants/{person["id"]}");
            erased.Add(response.StatusCode);
        }
        await app.TickAsync();
        await app.App.Services.GetRequiredService<Outbox>().SweepAsync(default);
        var stored = await EverythingStoredAsync(app);
        var answers = string.Join('\n', await Task.WhenAll(
            new[] { $"/api/cohorts/{cohortId}/pairs", $"/api/cohorts/{cohortId}/pairs/{left["id"]}", $"/api/cohorts/{cohortId}/pairs/{other["id"]}", $"/api/cohorts/{cohortId}/participants",
                $"/api/cohorts/{cohortId}/report", $"/api/cohorts/{cohortId}/report?format=csv", $"/api/cohorts/{cohortId}" }.Select(u => app.Admin.GetStringAsync(u))));
        var logged = string.Join('\n', log);

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent], erased);
        foreach (var trace in new[] { leaver, named }.SelectMany(p => new[] { p["email"]!.GetValue<string>(), p["firstName"]!.GetValue<string>(), p["lastName"]!.GetValue<string>() }))
        {
            Assert.DoesNotContain(trace, stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(trace, answers, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(trace, logged, StringComparison.OrdinalIgnoreCase);
        }
        Assert.NotEmpty(log);
        Assert.Contains("moved abroad", answers, StringComparison.Ordinal); // the reason stays, without the name
    }

    private static string FullName(JsonNode person) => $"{person["firstName"]} {person["lastName"]}";

    [Fact]
    public async Task Survey_changes_from_the_manage_page_are_limited_and_capped_and_a_person_erased_after_the_survey_keeps_their_counts_but_not_what_they_wrote()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time, new Dictionary<string, string?> { ["MentorFlow:SurveyChangesPerMinute"] = "8" });
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 1, termMonths: 1);
        var outbox = app.App.Services.GetRequiredService<Outbox>();
        for (var step = 0; step < 10; step++)
        {
            await app.TickAsync();
            await outbox.SweepAsync(default);
            var pair = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!;
            if (pair["status"]!.GetValue<string>() == "surveying")
            {
                break;
            }
            time.SetUtcNow(pair["nextDueAt"]!.GetValue<DateTimeOffset>());
        }
        var mentee = (await Api.ParticipantsAsync(app.Admin, cohortId)).Single(p => p!["role"]!.GetValue<string>() == "mentee")!;
        var inbox = (await app.App.Stack.Inbox.AllAsync()).Where(e => e.To.Any(t => t.Address == mentee["email"]!.GetValue<string>())).ToList();
        var survey = inbox.Single(e => e.Subject.EndsWith(": closing survey", StringComparison.Ordinal));
        var url = Regex.Match(survey.Text!, @"(http\S+/r/\S+)").Groups[1].Value;
        const string Comment = "Call me on 555-0199 at 12 Elm Street";
        using var answered = await app.Public.PostAsync(new Uri(url).PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["satisfaction"] = "5", ["goalsMet"] = "yes", ["willContinue"] = "true", ["wouldJoinAgain"] = "true", ["wouldMentor"] = "false", ["comment"] = Comment,
        }));
        Assert.Contains(Comment, await EverythingStoredAsync(app));
        var pairId = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!["id"]!.GetValue<string>();
        var historyBefore = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pairId}"))!["history"]!.AsArray().Count;
        var receipt = inbox.Single(e => e.Subject.Contains("registered as a", StringComparison.Ordinal));
        var manage = new Uri(ManageLink().Match(receipt.Text!).Groups[1].Value).PathAndQuery;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var change = await app.Public.PostAsync(manage + "/survey", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["satisfaction"] = (1 + i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture), ["goalsMet"] = "yes", ["willContinue"] = "true",
                ["wouldJoinAgain"] = "true", ["wouldMentor"] = "false", ["comment"] = Comment,
            }));
            statuses.Add(change.StatusCode);
        }
        var historyAfter = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pairId}"))!["history"]!.AsArray().Count;
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.OK)); // three changes stand, and the last one sent again changes nothing
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.Conflict)); // the rest of the minute's permits: refused, nothing written
        Assert.Equal(22, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(historyBefore + 3, historyAfter);

        using var erased = await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/participants/{mentee["id"]}");
        var stored = await EverythingStoredAsync(app);
        var report = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report"))!.ToJsonString();

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        Assert.DoesNotContain("555-0199", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Elm Street", report, StringComparison.Ordinal);
        Assert.Contains("\"satisfaction\"", report, StringComparison.Ordinal);
        Assert.Contains(tag, mentee["email"]!.GetValue<string>());
    }

    private sealed class CollectingLogs(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + (exception is null ? "" : "\n" + exception));
        }
    }
}
