using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Functions.Tests;

public partial class WorkflowHttpTests
{
    private static FakeTimeProvider Clock() => FakeClockApp.Clock();

    private static async Task<JsonArray> PairsAsync(HttpClient admin, string cohortId) =>
        (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;

    /// <summary>Introduces the launched cohort's first pair, moves the clock to its first check-in, and returns that email from MailDev.</summary>
    private static async Task<(JsonNode Pair, InboxEmail CheckIn)> FirstCheckInAsync(FakeClockApp app, FakeTimeProvider time, string cohortId, string subject)
    {
        await app.TickAsync();
        var pair = (await PairsAsync(app.Admin, cohortId))[0]!;
        time.SetUtcNow(pair["nextDueAt"]!.GetValue<DateTimeOffset>());
        await app.TickAsync();
        var mentee = pair["mentee"]!["email"]!.GetValue<string>();
        var checkIn = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([mentee], e => e.Subject.Contains(subject, StringComparison.Ordinal), 1));
        return (pair, checkIn);
    }

    [Fact]
    public async Task Response_links_record_once_and_refuse_tampered_expired_and_foreign_tokens_with_a_clear_page()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 2);
        var (pair, checkIn) = await FirstCheckInAsync(app, time, cohortId, "month 1 check-in");
        var menteeEmail = pair["mentee"]!["email"]!.GetValue<string>();
        var met = new Uri(Link().Match(checkIn.Text!).Groups[1].Value).PathAndQuery;

        using var page = await app.Public.GetAsync(met);
        using var first = await app.Public.PostAsync(met, null);
        var afterFirst = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}");
        using var second = await app.Public.PostAsync(met, null);
        var afterSecond = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}");
        using var tampered = await app.Public.GetAsync(met[..^6] + "AAAAAA");
        using var garbage = await app.Public.PostAsync("/r/not-a-token", null);
        time.Advance(ResponseTokens.Lifetime + TimeSpan.FromDays(1));
        using var expired = await app.Public.PostAsync(met, null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Confirm: We met", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("met", afterFirst!["answers"]!["1"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(afterFirst["history"]!.AsArray().Count, afterSecond!["history"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("Link not valid", await garbage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.StartsWith("mentee", menteeEmail);
        Assert.Contains(tag, menteeEmail);
    }

    [Fact]
    public async Task We_need_help_reaches_the_admins_in_the_same_request_without_waiting_for_a_tick()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 1);
        var (pair, checkIn) = await FirstCheckInAsync(app, time, cohortId, "month 1 check-in");
        var menteeEmail = pair["mentee"]!["email"]!.GetValue<string>();
        var help = new Uri(HelpLink().Match(checkIn.Text!).Groups[1].Value).PathAndQuery;

        using var response = await app.Public.PostAsync(help, null);
        var alerts = await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("asks for help", Assert.Single(alerts).Subject);
        Assert.Equal(0, (await PairsAsync(app.Admin, cohortId))[0]!["pendingMessages"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_mentees_help_request_stays_counted_when_the_mentor_then_answers_we_met_and_the_alert_links_to_the_console_in_words()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 1);
        var (pair, checkIn) = await FirstCheckInAsync(app, time, cohortId, "month 1 check-in");
        var mentorEmail = pair["mentor"]!["email"]!.GetValue<string>();
        var mentorCheckIn = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([mentorEmail], e => e.Subject.Contains("month 1 check-in", StringComparison.Ordinal), 1));

        (await app.Public.PostAsync(new Uri(HelpLink().Match(checkIn.Text!).Groups[1].Value).PathAndQuery, null)).EnsureSuccessStatusCode();
        (await app.Public.PostAsync(new Uri(Link().Match(mentorCheckIn.Text!).Groups[1].Value).PathAndQuery, null)).EnsureSuccessStatusCode();
        var after = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}"))!;
        var report = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report"))!;
        var alert = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], 1));

        Assert.Equal("met", after["answers"]!["1"]!.GetValue<string>()); // the month keeps what matters most
        Assert.Equal([1], after["helpRequestedMonths"]!.AsArray().Select(m => m!.GetValue<int>()));
        Assert.Equal(("needHelp", "met"), (after["answersByPerson"]!["1"]![pair["mentee"]!["participantId"]!.GetValue<string>()]!.GetValue<string>(),
            after["answersByPerson"]!["1"]![pair["mentor"]!["participantId"]!.GetValue<string>()]!.GetValue<string>()));
        Assert.Equal(1, report["months"]![0]!["needHelp"]!.GetValue<int>());
        Assert.Contains($"http://mentorflow.test/console/cohorts/{cohortId}/pairs/{pair["id"]}", alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/", alert.Html + alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("needHelp", alert.Html + alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(pair["id"]!.GetValue<string>(), alert.Html!.Replace($"/pairs/{pair["id"]}", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_dropped_goes_untold_paused_resumed_ended_and_replaced_people_each_get_their_own_email_and_an_ended_pair_answers_the_survey()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 3);
        var (pair, _) = await FirstCheckInAsync(app, time, cohortId, "month 1 check-in");
        var pairs = await PairsAsync(app.Admin, cohortId);
        var (other, spare) = (pairs.First(p => p!["id"]!.GetValue<string>() != pair["id"]!.GetValue<string>())!, pairs.Last(p => p!["id"]!.GetValue<string>() != pair["id"]!.GetValue<string>())!);
        string Email(JsonNode p, string role) => p[role]!["email"]!.GetValue<string>();
        var outbox = app.App.Services.GetRequiredService<Email.Outbox>();

        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/pairs/{pair["id"]}/pause", null)).EnsureSuccessStatusCode();
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/pairs/{pair["id"]}/resume", null)).EnsureSuccessStatusCode();
        (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{pair["id"]}/cancel", new { reason = "schedules never matched" })).EnsureSuccessStatusCode();
        (await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{other["id"]}/rematch", new { mentorId = spare["mentor"]!["participantId"]!.GetValue<string>() })).EnsureSuccessStatusCode();
        await outbox.SweepAsync(default);
        var toMentee = await app.App.Stack.Inbox.WaitForAsync([Email(pair, "mentee")], 6);
        var toMentor = await app.App.Stack.Inbox.WaitForAsync([Email(pair, "mentor")], 6);
        var toReplaced = await app.App.Stack.Inbox.WaitForAsync([Email(other, "mentor")], 4);
        var ended = toMentee.Single(e => e.Subject.EndsWith("your mentoring pair has ended", StringComparison.Ordinal));
        var survey = new Uri(Regex.Match(ended.Text!, @"(http\S+/r/\S+)").Groups[1].Value).PathAndQuery;
        using var form = await app.Public.GetAsync(survey);
        using var answered = await app.Public.PostAsync(survey, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["satisfaction"] = "3", ["goalsMet"] = "partly", ["willContinue"] = "false", ["wouldJoinAgain"] = "true", ["wouldMentor"] = "false",
        }));
        var after = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}"))!;

        foreach (var inbox in new[] { toMentee, toMentor })
        {
            Assert.Single(inbox, e => e.Subject.EndsWith("your mentoring pair is paused", StringComparison.Ordinal));
            Assert.Single(inbox, e => e.Subject.EndsWith("your mentoring pair continues", StringComparison.Ordinal));
            Assert.Single(inbox, e => e.Subject.EndsWith("your mentoring pair has ended", StringComparison.Ordinal));
            Assert.All(inbox, e => Assert.Single(e.To));
        }
        Assert.Single(toReplaced, e => e.Subject.EndsWith("a change in your mentoring pair", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (form.StatusCode, answered.StatusCode));
        Assert.Equal("cancelled", after["status"]!.GetValue<string>());
        Assert.Equal(3, after["survey"]![pair["mentee"]!["participantId"]!.GetValue<string>()]!["satisfaction"]!.GetValue<int>());
    }

    [Fact]
    public async Task After_we_met_fifteen_replays_of_the_same_persons_help_link_alert_the_admins_once_and_add_one_history_line()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 1);
        var (pair, checkIn) = await FirstCheckInAsync(app, time, cohortId, "month 1 check-in");
        var met = new Uri(Link().Match(checkIn.Text!).Groups[1].Value).PathAndQuery;
        var help = new Uri(HelpLink().Match(checkIn.Text!).Groups[1].Value).PathAndQuery;

        (await app.Public.PostAsync(met, null)).EnsureSuccessStatusCode();
        var afterMet = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}");
        for (var i = 0; i < 15; i++)
        {
            (await app.Public.PostAsync(help, null)).EnsureSuccessStatusCode();
        }
        var afterReplays = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair["id"]}");
        await app.TickAsync();
        static bool AsksForHelp(InboxEmail e) => e.Subject.Contains("asks for help", StringComparison.Ordinal);
        await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], AsksForHelp, 1); // the one alert
        var alerts = await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], AsksForHelp, 2, TimeSpan.FromSeconds(3)); // and no second

        Assert.Single(alerts);
        Assert.Equal(afterMet!["history"]!.AsArray().Count + 1, afterReplays!["history"]!.AsArray().Count);
        Assert.Equal("met", afterReplays["answers"]!["1"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_poison_pair_never_stops_the_others_and_after_three_failures_in_a_row_the_admins_hear_of_it_once()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 3);
        await app.TickAsync(); // the introductions
        var store = app.App.Services.GetRequiredService<Store.CosmosStore>();
        var poison = (await store.ListPairsAsync(cohortId, default)).OrderBy(p => p.Id, StringComparer.Ordinal).First();
        // Bad data a step cannot get past: a time zone no clock knows.
        Assert.NotNull(await store.ReplacePairAsync(poison with { Pair = poison.Pair with { Mentee = poison.Pair.Mentee with { TimeZone = "Mars/Olympus" } } }, default));
        time.SetUtcNow(poison.Pair.NextDueAt!.Value); // the first check-in falls due for all three

        var ticks = new List<int>();
        foreach (var wait in new[] { 0, 3, 5, 1 })
        {
            time.Advance(TimeSpan.FromMinutes(wait));
            ticks.Add((await app.TickAsync()).Transitions);
        }
        static bool NeedsAttention(InboxEmail e) => e.Subject.EndsWith("something needs your attention", StringComparison.Ordinal);
        await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], NeedsAttention, 1); // the one notice
        var admins = await app.App.Stack.Inbox.WaitForAsync([$"admins.{tag}@launch.test"], NeedsAttention, 2, TimeSpan.FromSeconds(3)); // and no second
        var pairs = await PairsAsync(app.Admin, cohortId);

        Assert.Equal([2, 0, 0, 0], ticks);
        Assert.Equal(2, pairs.Count(p => p!["month"]!.GetValue<int>() == 1));
        Assert.Equal(0, pairs.Single(p => p!["id"]!.GetValue<string>() == poison.Id)!["month"]!.GetValue<int>());
        var attention = Assert.Single(admins);
        Assert.Contains(poison.Id, attention.Text);
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_one_quota_of_five_a_minute_and_the_next_minute_sends_the_rest()
    {
        var time = Clock();
        var shared = new Dictionary<string, string?> { ["MentorFlow:EmailsPerMinute"] = "5", ["Cosmos:Database"] = $"mentorflow-{Guid.NewGuid():N}"[..26] };
        await using var one = new FakeClockApp(await LocalStack.GetAsync(), time, shared);
        await using var two = new FakeClockApp(await LocalStack.GetAsync(), time, shared);
        var (cohortId, tag) = await Launch.CohortAsync(one, pairs: 4); // 8 introductions: one email per person

        var together = await Task.WhenAll(one.TickAsync(), two.TickAsync());
        time.Advance(TimeSpan.FromMinutes(1));
        var next = await Task.WhenAll(two.TickAsync(), one.TickAsync());
        var introductions = await one.App.Stack.Inbox.WaitForAsync([.. Enumerable.Range(0, 4).SelectMany(i => new[] { $"mentee{i:D2}.{tag}@launch.test", $"mentor{i:D2}.{tag}@launch.test" })], 8);

        Assert.Equal(5, together.Sum(t => t.EmailsSent));
        Assert.Equal(3, next.Sum(t => t.EmailsSent));
        Assert.Equal(8, introductions.Count);
    }

    [Fact]
    public async Task A_quota_of_five_a_minute_spreads_a_wave_of_twelve_introductions_over_three_minutes_of_the_apps_clock()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time, new Dictionary<string, string?> { ["MentorFlow:EmailsPerMinute"] = "5" });
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 6); // 12 introductions: one email per person

        var first = await app.TickAsync();
        var again = await app.TickAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await app.TickAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        var third = await app.TickAsync();
        var pairs = await PairsAsync(app.Admin, cohortId);

        Assert.Equal((6, 5, 7), (first.Transitions, first.EmailsSent, first.EmailsWaiting));
        Assert.Equal((0, 0), (again.EmailsSent, again.Transitions));
        Assert.Equal((5, 2), (second.EmailsSent, second.EmailsWaiting));
        Assert.Equal((2, 0), (third.EmailsSent, third.EmailsWaiting));
        Assert.All(pairs, p => Assert.Equal(0, p!["pendingMessages"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Three_app_instances_dispatching_one_cohort_at_once_make_each_transition_once_and_send_each_email_once()
    {
        var time = Clock();
        var stack = await LocalStack.GetAsync();
        var shared = new Dictionary<string, string?> { ["Cosmos:Database"] = $"mentorflow-{Guid.NewGuid():N}"[..26] };
        await using var one = new FakeClockApp(stack, time, shared);
        await using var two = new FakeClockApp(stack, time, shared);
        await using var three = new FakeClockApp(stack, time, shared);
        var (cohortId, tag) = await Launch.CohortAsync(one, pairs: 8);

        for (var month = 0; month < 3; month++)
        {
            await Task.WhenAll(one.TickAsync(), two.TickAsync(), three.TickAsync());
            await Task.WhenAll(one.TickAsync(), two.TickAsync(), three.TickAsync());
            var next = (await PairsAsync(one.Admin, cohortId)).Min(p => p!["nextDueAt"]!.GetValue<DateTimeOffset>());
            time.SetUtcNow(next);
        }
        await Task.WhenAll(one.TickAsync(), two.TickAsync(), three.TickAsync());
        var pairs = await PairsAsync(one.Admin, cohortId);
        var emails = (await stack.Inbox.AllAsync()).Where(e => e.To.Any(t => t.Address.Contains(tag, StringComparison.Ordinal))).ToList();

        Assert.All(pairs, p => Assert.Equal(0, p!["pendingMessages"]!.GetValue<int>()));
        Assert.Equal(16, emails.Count(e => e.Subject.Contains("meet your", StringComparison.Ordinal)));
        Assert.Equal(16, emails.Count(e => e.Subject.Contains("month 1 check-in", StringComparison.Ordinal) && !e.Subject.Contains("reminder", StringComparison.Ordinal)));
        Assert.Equal(emails.Count, emails.Select(e => e.MessageId).Distinct().Count());
        foreach (var pair in pairs)
        {
            var detail = await one.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair!["id"]}");
            var entries = detail!["history"]!.AsArray().Select(h => $"{h!["event"]}|{h["summary"]}").ToList();
            Assert.Equal(entries.Count, entries.Distinct().Count());
            Assert.Single(entries, e => e.StartsWith("IntroductionDue|", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_cohorts_own_wording_is_validated_previewed_encoded_and_used_for_its_check_ins_until_reset()
    {
        var time = Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 1);
        var custom = new
        {
            subject = "{{ cohort.name }} — month {{ month }}: a quick question",
            html = "<p>Hello {% for person in people %}{{ person.name }} {% endfor %}</p><p>Goals: {{ mentee.goals }}</p>{% for person in people %}{% for link in person.links %}<a href=\"{{ link.url }}\">{{ link.label }}</a>{% endfor %}{% endfor %}",
            text = "Goals: {{ mentee.goals }}\n{% for person in people %}{{ person.name }}:\n{% for link in person.links %}  {{ link.label }}: {{ link.url }}\n{% endfor %}{% endfor %}",
        };

        var defaults = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/templates");
        using var broken = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/checkIn", new { subject = "x", html = "{% if %}", text = "" });
        using var raw = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/checkIn", custom with { html = "<p>{{ mentee.goals | raw }}</p>" });
        using var runaway = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/checkIn",
            custom with { text = "{% for a in (1..100) %}{% for b in (1..100) %}{% for c in (1..100) %}x{% endfor %}{% endfor %}{% endfor %}" });
        const string LateRunaway = "{% if month > 3 %}{% for a in (1..100) %}{% for b in (1..100) %}{% for c in (1..100) %}x{% endfor %}{% endfor %}{% endfor %}{% endif %}";
        using var late = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/checkIn", custom with { html = LateRunaway });
        using var draft = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/templates/checkIn/preview", custom with { html = LateRunaway });
        using var unknown = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/newsletter", custom);
        using var changed = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/checkIn", custom);
        using var preview = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/templates/checkIn/preview", null);
        var previewed = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
        var (pair, checkIn) = await FirstCheckInAsync(app, time, cohortId, "a quick question");
        var mentee = pair["mentee"]!["email"]!.GetValue<string>();
        using var reset = await app.Admin.DeleteAsync($"/api/cohorts/{cohortId}/templates/checkIn");
        var after = (await reset.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(["adminNotice", "alreadyRegistered", "checkIn", "checkInReminder", "confirmation", "introduction", "mentorReplaced", "pairEnded", "pairPaused", "pairResumed", "partnerWithdrew", "receipt", "survey", "surveyReminder"],
            defaults!.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.All(defaults!, kv => Assert.False(kv.Value!["custom"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(["html", "text"], Api.ErrorFields(await Api.ProblemAsync(broken)).Order(StringComparer.Ordinal));
        Assert.Equal(["html"], Api.ErrorFields(await Api.ProblemAsync(raw)));
        var steps = await Api.ProblemAsync(runaway);
        Assert.Equal(["text"], Api.ErrorFields(steps));
        Assert.StartsWith("Does not render for a sample pair", steps["errors"]!["text"]![0]!.GetValue<string>());
        var lateProblem = await Api.ProblemAsync(late);
        Assert.Equal(["html"], Api.ErrorFields(lateProblem)); // the branch taken only from month 4 is tried before saving
        Assert.StartsWith("Does not render for a sample pair in month 4", lateProblem["errors"]!["html"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, draft.StatusCode); // a draft over the budget previews as a 400 naming its field, not a 500
        Assert.Equal(["html"], Api.ErrorFields(await Api.ProblemAsync(draft)));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Launched cohort — month 3: a quick question", previewed["subject"]!.GetValue<string>());
        Assert.Contains("Goals: Publish my first paper &lt;and&gt; find balance.", previewed["html"]!.GetValue<string>());
        Assert.Contains("Goals: Publish my first paper <and> find balance.", previewed["text"]!.GetValue<string>());
        Assert.Equal("Launched cohort — month 1: a quick question", checkIn.Subject);
        Assert.Contains("We met: http://mentorflow.test/r/", checkIn.Text);
        Assert.Contains(tag, mentee);
        Assert.False(after["checkIn"]!["custom"]!.GetValue<bool>());
        Assert.Contains("check-in for", after["checkIn"]!["subject"]!.GetValue<string>());
    }

    [GeneratedRegex(@"We need help: (\S+)")]
    private static partial Regex HelpLink();

    [GeneratedRegex(@"We met: (\S+)")]
    private static partial Regex Link();
}

public class WorkflowFaultTests
{
    [Fact]
    public async Task With_a_fifth_of_SMTP_sends_and_Cosmos_requests_failing_a_whole_term_completes_and_nothing_is_lost_or_doubled()
    {
        var time = FakeClockApp.Clock();
        var stack = await LocalStack.GetAsync();
        await using var app = new FakeClockApp(stack, time, new Dictionary<string, string?>
        {
            ["Smtp:InjectFaultRate"] = "0.2",
            ["Cosmos:InjectFaultRate"] = "0.2",
            ["Smtp:RetryAttempts"] = "8",
            ["Cosmos:RetryAttempts"] = "8",
        });
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 6, termMonths: 2);

        for (var step = 0; step < 60; step++)
        {
            while ((await app.TickAsync()).Transitions > 0)
            {
            }
            var cohort = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");
            if (cohort!["status"]!.GetValue<string>() == "closed")
            {
                break;
            }
            var pairs = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
            var next = pairs.Where(p => p!["nextDueAt"] is not null).Select(p => p!["nextDueAt"]!.GetValue<DateTimeOffset>()).DefaultIfEmpty(time.GetUtcNow()).Min();
            time.SetUtcNow(next > time.GetUtcNow() ? next : time.GetUtcNow().AddHours(1));
        }
        var emails = (await stack.Inbox.AllAsync()).Where(e => e.To.Any(t => t.Address.Contains(tag, StringComparison.Ordinal))).ToList();
        var final = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");

        Assert.Equal("closed", final!["status"]!.GetValue<string>());
        for (var i = 0; i < 6; i++)
        {
            var mentee = $"mentee{i:D2}.{tag}@launch.test";
            var mine = emails.Where(e => e.To.Any(t => t.Address == mentee)).ToList();
            Assert.Single(mine, e => e.Subject.Contains("meet your", StringComparison.Ordinal));
            Assert.Equal(2, mine.Count(e => e.Subject.Contains(" check-in", StringComparison.Ordinal) && !e.Subject.Contains("reminder", StringComparison.Ordinal)));
            Assert.Equal(2, mine.Count(e => e.Subject.Contains("reminder — month", StringComparison.Ordinal)));
            Assert.Single(mine, e => e.Subject.EndsWith(": closing survey", StringComparison.Ordinal));
        }
        Assert.Single(emails, e => e.Subject.Contains("outcome report", StringComparison.Ordinal));
        Assert.Equal(emails.Count, emails.Select(e => e.MessageId).Distinct().Count());
        Assert.True(app.App.Services.GetRequiredService<MentorFlow.Functions.Store.CosmosConnection>().Injector!.Injected > 0);
    }
}

/// <summary>A cohort left alone on its clock: intake closes on its date and proposes, the admins are reminded, the deadline is announced, and an approved cohort launches by itself.</summary>
public class CohortTimerTests
{
    [Fact]
    public async Task Left_alone_on_its_clock_a_cohort_closes_intake_proposes_reminds_announces_the_deadline_and_launches_itself_once_approved()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var admins = $"admins.{tag}@timers.test";
        var body = Api.CohortBody("Timed cohort", time.GetUtcNow());
        body["nationalMeeting"]!["startsOn"] = "2027-03-25";
        body["intakeClosesOn"] = "2027-01-15";
        body["programStartsOn"] = "2027-02-01";
        body["launchMode"] = "onProgramStart";
        body["adminEmails"] = new JsonArray(admins);
        using var created = await app.Admin.PostAsJsonAsync("/api/cohorts", body);
        var cohortId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/intake/open", null)).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee($"mentee{i}.{tag}@timers.test"))).EnsureSuccessStatusCode();
            var mentor = Api.Mentor($"mentor{i}.{tag}@timers.test");
            mentor["institution"] = $"Teaching Hospital {i}";
            (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentor)).EnsureSuccessStatusCode();
        }
        await Api.ConfirmAllAsync(app.Admin, cohortId);
        async Task<string> StatusAtAsync(DateTimeOffset at)
        {
            time.SetUtcNow(at);
            await app.TickAsync();
            return (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["status"]!.GetValue<string>();
        }

        // Chicago's midnight is 06:00 UTC: intake closes at the end of 2027-01-15; the deadline is 2027-03-04 (21 days before the meeting).
        var beforeClose = await StatusAtAsync(new DateTimeOffset(2027, 1, 16, 5, 59, 0, TimeSpan.Zero));
        var afterClose = await StatusAtAsync(new DateTimeOffset(2027, 1, 16, 6, 0, 0, TimeSpan.Zero));
        var proposal = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/matching");
        await StatusAtAsync(new DateTimeOffset(2027, 2, 25, 6, 0, 0, TimeSpan.Zero));
        await StatusAtAsync(new DateTimeOffset(2027, 3, 2, 6, 0, 0, TimeSpan.Zero));
        var afterDeadline = await StatusAtAsync(new DateTimeOffset(2027, 3, 4, 6, 0, 0, TimeSpan.Zero));
        var quiet = await StatusAtAsync(new DateTimeOffset(2027, 3, 10, 6, 0, 0, TimeSpan.Zero));
        var toAdmins = (await app.App.Stack.Inbox.WaitForAsync([admins], 4)).Select(e => e.Subject).ToList();
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/matching/approve", null)).EnsureSuccessStatusCode();
        var launched = await StatusAtAsync(new DateTimeOffset(2027, 3, 10, 6, 1, 0, TimeSpan.Zero));
        var cohort = await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");
        var pairs = await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs");

        Assert.Equal(("intakeOpen", "intakeClosed", "intakeClosed", "intakeClosed"), (beforeClose, afterClose, afterDeadline, quiet));
        Assert.Equal((1, 3), (proposal!["version"]!.GetValue<int>(), proposal["quality"]!["matchedMentees"]!.GetValue<int>()));
        Assert.Equal(4, toAdmins.Count);
        Assert.EndsWith("a matching proposal is ready for review", toAdmins[0]);
        Assert.Equal(2, toAdmins.Count(s => s.EndsWith("the matching proposal waits for approval", StringComparison.Ordinal)));
        Assert.Single(toAdmins, s => s.EndsWith("the introduction deadline has passed", StringComparison.Ordinal));
        Assert.Equal("running", launched);
        Assert.True(cohort!["lateIntroduction"]!.GetValue<bool>());
        Assert.Equal(3, pairs!.Count);
        Assert.All(pairs, p => Assert.True(p!["lateIntroduction"]!.GetValue<bool>()));
    }
}
