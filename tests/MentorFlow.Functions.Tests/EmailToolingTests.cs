using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The wording editor's tools over HTTP: the fields a wording may use, and "send me a test" to an admin address only.</summary>
public class EmailToolingTests
{
    private static FakeClockApp NewApp() => new(LocalStack.GetAsync().GetAwaiter().GetResult(), FakeClockApp.Clock());

    [Fact]
    public async Task The_fields_a_wording_may_use_are_read_off_the_senders_own_model_with_sample_values_and_every_one_renders()
    {
        await using var app = NewApp();

        var checkIn = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow())}/templates/checkIn/fields"))!
            .ToDictionary(f => f!["field"]!.GetValue<string>(), f => f!["example"]!.GetValue<string>());
        using var unknown = await app.Admin.GetAsync("/api/cohorts/any-cohort-000000/templates/birthday/fields");

        Assert.Equal("Sample cohort", checkIn["cohort.name"]);
        Assert.Equal("3", checkIn["month"]);
        Assert.Contains("cohort.meeting.date", checkIn.Keys);
        Assert.Contains("people[].links[].url", checkIn.Keys);
        Assert.Contains("mentee.profile", checkIn.Keys);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_test_of_a_draft_goes_to_an_admin_address_marked_test_and_never_to_anyone_else()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow()); // its admin: admins@society.test
        var subject = $"Hello {Guid.NewGuid():N}";
        var draft = new { subject = subject + " {{ mentee.firstName }}", html = "<p>Dear {{ person.name }}</p>", text = "Dear {{ person.name }}" };

        using var sent = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/templates/introduction/test", new { to = "Admins@Society.test", draft.subject, draft.html, draft.text });
        using var stranger = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/templates/introduction/test", new { to = "someone@elsewhere.test", draft.subject, draft.html, draft.text });
        using var broken = await app.Admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/templates/introduction/test", new { to = "admins@society.test", subject = "{% if %}", draft.html, draft.text });
        var received = (await app.App.Stack.Inbox.WaitForAsync(["admins@society.test"], 1)).Where(e => e.Subject.Contains(subject, StringComparison.Ordinal)).ToList();
        var audit = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!;

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var email = Assert.Single(received);
        Assert.StartsWith("[Test] ", email.Subject, StringComparison.Ordinal);
        Assert.EndsWith(" Ana", email.Subject, StringComparison.Ordinal); // rendered for the sample pair
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Contains("to", Api.ErrorFields(await Api.ProblemAsync(stranger)));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("subject", Api.ErrorFields(await Api.ProblemAsync(broken)));
        Assert.Equal("introduction to admins@society.test", Assert.Single(audit, a => a!["action"]!.GetValue<string>() == "SendTestEmail")!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_receipt_is_sent_in_the_cohorts_wording_with_the_persons_own_manage_link_even_when_the_wording_leaves_it_out()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        var fields = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/templates/receipt/fields"))!.Select(f => f!["field"]!.GetValue<string>()).ToList();
        using var broken = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/receipt",
            new { subject = "Welcome", html = "<p>{{ person.goals | truncate: -5 }}</p>", text = "{% for x in (1..999) %}x{% endfor %}" });
        using var saved = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/receipt", new
        {
            subject = "Welcome aboard, {{ person.firstName }}",
            html = "<p>Dear {{ person.name }}, you joined {{ cohort.name }} as a {{ person.role }}; goals: {{ person.goals }}</p>",
            text = "Dear {{ person.name }}, you joined {{ cohort.name }} as a {{ person.role }}.",
        });
        var mentee = Api.Mentee();
        mentee["goals"] = "Lead <b>research</b>";
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentee)).EnsureSuccessStatusCode();
        await Api.ConfirmAllAsync(app.Admin, cohortId);
        await app.App.Services.GetRequiredService<Email.Outbox>().SweepAsync(default);
        var receipt = (await app.App.Stack.Inbox.WaitForAsync([mentee["email"]!.GetValue<string>()], 2)).Single(e => e.Subject.StartsWith("Welcome aboard", StringComparison.Ordinal));
        var listed = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/templates"))!["receipt"]!;

        Assert.Contains("person.goals", fields);
        Assert.Contains("cohort.intakeCloses", fields);
        Assert.DoesNotContain("mentor.name", fields); // a receipt is about one person, not a pair
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True(listed["custom"]!.GetValue<bool>());
        Assert.Equal($"Welcome aboard, {mentee["firstName"]}", receipt.Subject);
        Assert.Contains("as a mentee.", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("goals: Lead &lt;b&gt;research&lt;/b&gt;", receipt.Html, StringComparison.Ordinal); // what a person wrote stays text
        Assert.Matches(@"See, withdraw or erase your registration \(this link is yours alone[^)]*\): http\S+/m/\S+", receipt.Text!); // added whatever the wording says
    }

    [Fact]
    public async Task The_admins_notices_are_sent_in_the_cohorts_wording_and_the_outcome_report_keeps_its_own_form()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        var tag = Guid.NewGuid().ToString("N")[..8];
        var fields = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/templates/adminNotice/fields"))!.Select(f => f!["field"]!.GetValue<string>()).ToList();
        using var saved = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/adminNotice", new
        {
            subject = $"[Mentoring {tag}] {{{{ notice.title }}}}",
            html = "<p>{{ notice.detail }}</p><p><a href=\"{{ notice.link }}\">{{ notice.action }}</a></p>",
            text = "{{ notice.detail }} — {{ notice.action }}: {{ notice.link }}",
        });
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee())).EnsureSuccessStatusCode();
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentor())).EnsureSuccessStatusCode();
        await Api.ConfirmAllAsync(app.Admin, cohortId);
        // Intake closes on its date: the proposal is made and the admins are told.
        app.Time.SetUtcNow((await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["intakeClosesAt"]!.GetValue<DateTimeOffset>());
        await app.TickAsync();
        await app.App.Services.GetRequiredService<Email.Outbox>().SweepAsync(default);
        // The admin address is every test cohort's: this cohort's notice is the one with its tag (the sweep sent it; MailDev lists it at once or soon).
        InboxEmail? notice = null;
        for (var look = 0; look < 50 && notice is null; look++, await Task.Delay(look == 1 ? 0 : 100))
        {
            notice = (await app.App.Stack.Inbox.AllAsync()).SingleOrDefault(e => e.Subject.StartsWith($"[Mentoring {tag}]", StringComparison.Ordinal));
        }
        Assert.NotNull(notice);

        Assert.Equal(["cohort.name", "cohort.society", "notice.kind", "notice.title", "notice.detail", "notice.action", "notice.link"], fields);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal($"[Mentoring {tag}] A matching proposal is ready for review", notice.Subject);
        Assert.Contains($"Review the proposal: http://mentorflow.test/console/cohorts/{cohortId}/matching", notice.Text, StringComparison.Ordinal);
    }
}
