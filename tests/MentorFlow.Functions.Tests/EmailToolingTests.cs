using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;

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
}
