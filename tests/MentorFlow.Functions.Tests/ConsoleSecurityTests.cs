using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MentorFlow.Functions.Tests;

/// <summary>The console's doors over HTTP: sign-in, the session cookie, antiforgery, redirects, and what a participant's link can reach.</summary>
public partial class ConsoleSecurityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private HttpClient Browser() => fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static Task<string> TokenAsync(HttpClient client, string path) => ConsoleForms.TokenAsync(client, path);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, string returnUrl = "/console") => ConsoleForms.SignInAsync(client, key, returnUrl);

    [Fact]
    public async Task A_console_page_without_a_session_redirects_to_sign_in_and_keeps_where_it_was_going()
    {
        using var client = Browser();
        var cohortId = await Api.CreateCohortAsync(fixture.Admin);

        using var response = await client.GetAsync($"/console/cohorts/{cohortId}/pairs?filter=at-risk");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/console/sign-in?returnUrl={Uri.EscapeDataString($"/console/cohorts/{cohortId}/pairs?filter=at-risk")}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_in_with_the_key_sets_an_HttpOnly_SameSite_Strict_session_cookie_and_a_wrong_key_is_refused()
    {
        using var client = Browser();

        using var wrong = await SignInAsync(client, "wrong-key-wrong-key");
        using var right = await SignInAsync(client, MentorFlowApp.AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("That is not the admin key.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mentorflow.console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var home = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/console")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("/r/some-participant-token")]
    [InlineData("/console/../r/some-participant-token")]
    [InlineData("/console/%2e%2e/r/some-participant-token")]
    [InlineData("/adminx/../r/x")]
    public async Task After_sign_in_only_a_console_path_is_followed(string returnUrl)
    {
        using var client = Browser();

        using var response = await SignInAsync(client, MentorFlowApp.AdminKey, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var client = Browser();
        (await SignInAsync(client, MentorFlowApp.AdminKey)).Dispose();
        var cohortId = await Api.CreateCohortAsync(fixture.Admin, open: false);

        using var forged = await client.PostAsync($"/console/cohorts/{cohortId}/intake/open", new FormUrlEncodedContent([]));
        var token = await TokenAsync(client, $"/console/cohorts/{cohortId}");
        using var genuine = await client.PostAsync($"/console/cohorts/{cohortId}/intake/open",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Form expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, genuine.StatusCode);
        Assert.Equal($"/console/cohorts/{cohortId}?done=intake-opened", genuine.Headers.Location!.OriginalString);
        Assert.Equal("intakeOpen", (await fixture.Admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/cohorts/{cohortId}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_participants_link_never_opens_the_console_and_the_console_is_never_framed()
    {
        using var client = Browser();
        var cohortId = await Api.CreateCohortAsync(fixture.Admin);
        var email = Api.UniqueEmail("linkholder");
        (await client.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email))).EnsureSuccessStatusCode();
        var confirmation = Assert.Single(await fixture.Inbox.WaitForAsync([email], 1));
        var link = new Uri(Regex.Match(confirmation.Text!, @"(http\S+/c/\S+)").Groups[1].Value).PathAndQuery;

        using var page = await client.GetAsync(link);
        using var console = await client.GetAsync("/console");
        using var signIn = await client.GetAsync("/console/sign-in");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
        Assert.StartsWith("/console/sign-in", console.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var policy = signIn.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_key_header_opens_the_API_but_not_the_console()
    {
        using var client = Browser();
        client.DefaultRequestHeaders.Add(Apis.AdminKeyFilter.Header, MentorFlowApp.AdminKey);

        using var api = await client.GetAsync("/api/cohorts");
        using var console = await client.GetAsync("/console");

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
    }

    [Fact]
    public async Task A_cohort_edited_in_the_console_keeps_its_form_on_a_bad_field_and_saves_a_good_one_through_the_APIs_rules()
    {
        using var client = Browser();
        (await SignInAsync(client, MentorFlowApp.AdminKey)).Dispose();
        var cohortId = await Api.CreateCohortAsync(fixture.Admin);
        var page = await client.GetStringAsync($"/console/cohorts/{cohortId}/edit");
        var fields = Regex.Matches(page, "<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"").GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));
        var form = new List<KeyValuePair<string, string>>(fields) { new("adminEmails", "admins@society.test"), new("eligibility.menteeStages", "trainee"), new("eligibility.mentorStages", "late"), new("nationalMeeting.timeZone", "America/Chicago") };
        form.RemoveAll(f => f.Key == "termMonths");

        using var bad = await client.PostAsync($"/console/cohorts/{cohortId}/edit", new FormUrlEncodedContent([.. form, new("termMonths", "nine")]));
        using var good = await client.PostAsync($"/console/cohorts/{cohortId}/edit", new FormUrlEncodedContent([.. form.Where(f => f.Key != "name"), new("name", "Renamed in the console"), new("termMonths", "6")]));
        var stored = (await fixture.Admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/cohorts/{cohortId}"))!;

        Assert.Equal("Test cohort", fields["name"]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"termMonths-error\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal(("Renamed in the console", 6), (stored["name"]!.GetValue<string>(), stored["termMonths"]!.GetValue<int>()));
        Assert.Equal(["trainee"], stored["eligibility"]!["menteeStages"]!.AsArray().Select(s => s!.GetValue<string>()));
    }
}
