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
        var received = (await app.App.Stack.Inbox.WaitForAsync(["admins@society.test"], e => e.Subject.Contains(subject, StringComparison.Ordinal), 1)).ToList();
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
    public async Task The_confirmation_and_already_registered_emails_go_in_the_cohorts_wording_name_nobody_and_keep_their_link()
    {
        await using var app = NewApp();
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        var fields = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/templates/confirmation/fields"))!.Select(f => f!["field"]!.GetValue<string>()).ToList();
        using var naming = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/confirmation",
            new { subject = "Confirm, {{ person.firstName }}", html = "<p>A mentor like you: {{ link }}</p>", text = "{% if mentee.name %}x{% endif %}{{ link }}" });
        using var saved = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/confirmation", new
        {
            subject = "One step left for {{ cohort.name }}",
            html = "<p>Intake closes {{ cohort.intakeCloses }}. Any mentor or mentee confirms here: <a href=\"{{ link }}\">confirm</a></p>",
            text = "Intake closes {{ cohort.intakeCloses }}.",
        });
        using var again = await app.Admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/templates/alreadyRegistered",
            new { subject = "Already in {{ cohort.name }}", html = "<p>Nothing changed.</p>", text = "Nothing changed." });
        using var preview = await app.Admin.PostAsync($"/api/cohorts/{cohortId}/templates/confirmation/preview", null);
        var previewed = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
        var mentee = Api.Mentee();
        var address = mentee["email"]!.GetValue<string>();
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentee)).EnsureSuccessStatusCode();
        await app.App.Services.GetRequiredService<Email.Outbox>().SweepAsync(default);
        var confirmation = Assert.Single(await app.App.Stack.Inbox.WaitForAsync([address], 1));
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(confirmation.Text!, @"(http\S+/c/\S+)").Groups[1].Value).PathAndQuery;
        using var confirmPage = await app.Public.GetAsync(link);
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentee)).EnsureSuccessStatusCode();
        // The notice is recorded in the background (so the form's answer takes the same time either way), then sent by a sweep.
        InboxEmail? notice = null;
        for (var look = 0; look < 100 && notice is null; look++, await Task.Delay(100))
        {
            await app.App.Services.GetRequiredService<Email.Outbox>().SweepAsync(default);
            notice = (await app.App.Stack.Inbox.AllAsync()).SingleOrDefault(e => e.To.Any(t => t.Address.Equals(address, StringComparison.OrdinalIgnoreCase)) && e.Subject.StartsWith("Already in", StringComparison.Ordinal));
        }
        var cohortName = (await app.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["name"]!.GetValue<string>();

        Assert.Contains("link", fields);
        Assert.DoesNotContain(fields, f => f.StartsWith("person.", StringComparison.Ordinal) || f.StartsWith("mentee.", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, naming.StatusCode);
        Assert.Equal(["subject", "text"], Api.ErrorFields(await Api.ProblemAsync(naming)).Order(StringComparer.Ordinal)); // "mentor" in a sentence is a word, not a field
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal($"One step left for {cohortName}", previewed["subject"]!.GetValue<string>()); // the saved wording, with a sample link
        Assert.Contains("https://example.invalid/c/sample", previewed["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"One step left for {cohortName}", confirmation.Subject);
        Assert.StartsWith("Intake closes ", confirmation.Text, StringComparison.Ordinal);
        Assert.Contains($"{link}\n", confirmation.Text, StringComparison.Ordinal); // the wording's text left the link out: it is added
        Assert.Contains(">confirm</a>", confirmation.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(mentee["firstName"]!.GetValue<string>(), confirmation.Html + confirmation.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, confirmPage.StatusCode); // the link in the cohort's wording is the person's own
        Assert.NotNull(notice);
        Assert.Equal($"Already in {cohortName}", notice.Subject);
        Assert.Matches(@"http\S+/m/\S+", notice.Text!); // the manage link, added to a wording that left it out
        Assert.DoesNotContain(mentee["firstName"]!.GetValue<string>(), notice.Html + notice.Text, StringComparison.Ordinal);
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
