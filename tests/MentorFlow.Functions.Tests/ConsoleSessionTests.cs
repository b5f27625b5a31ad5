using System.Net;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MentorFlow.Functions.Tests;

/// <summary>A console session ends on the server: at sign-out, when the admin key changes, and at its absolute lifetime.</summary>
public partial class ConsoleSessionTests
{
    private static async Task<string> SignInAsync(MentorFlowApp app, string key)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var signedIn = await ConsoleForms.SignInAsync(client, key);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mentorflow.console=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>The console's home with only the session cookie, as a copy of it would be presented anywhere.</summary>
    private static async Task<HttpStatusCode> HomeWithAsync(MentorFlowApp app, string cookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task After_sign_out_a_copy_of_the_session_cookie_opens_nothing()
    {
        await using var app = new MentorFlowApp(await LocalStack.GetAsync());
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var signedIn = await ConsoleForms.SignInAsync(client, MentorFlowApp.AdminKey);
        var copy = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mentorflow.console=", StringComparison.Ordinal)).Split(';')[0];
        var before = await HomeWithAsync(app, copy);
        var formToken = await ConsoleForms.TokenAsync(client, "/console");
        using var signedOut = await client.PostAsync("/console/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = formToken }));

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.True(signedOut.IsSuccessStatusCode || signedOut.StatusCode == HttpStatusCode.Redirect, signedOut.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.Redirect, await HomeWithAsync(app, copy));
    }

    [Fact]
    public async Task A_session_opened_with_one_admin_key_is_refused_once_the_key_changes()
    {
        var stack = await LocalStack.GetAsync();
        await using var before = new MentorFlowApp(stack);
        await using var rotated = new MentorFlowApp(stack, new Dictionary<string, string?> { ["MentorFlow:AdminKey"] = "a-rotated-admin-key-0123456789" });
        var cookie = await SignInAsync(before, MentorFlowApp.AdminKey);

        Assert.Equal(HttpStatusCode.OK, await HomeWithAsync(before, cookie));
        Assert.Equal(HttpStatusCode.Redirect, await HomeWithAsync(rotated, cookie));
    }

    [Fact]
    public async Task A_session_ends_at_its_absolute_lifetime_however_active()
    {
        await using var app = new MentorFlowApp(await LocalStack.GetAsync(), new Dictionary<string, string?> { ["MentorFlow:ConsoleSessionLifetime"] = "00:00:02" });
        var cookie = await SignInAsync(app, MentorFlowApp.AdminKey);
        var active = await HomeWithAsync(app, cookie);

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the session's clock is the real one (the app's own clock moves by months in Development)

        Assert.Equal(HttpStatusCode.OK, active);
        Assert.Equal(HttpStatusCode.Redirect, await HomeWithAsync(app, cookie));
    }

    [Fact]
    public async Task Wrong_admin_keys_are_throttled_per_client_and_then_even_the_right_one_waits()
    {
        await using var app = new MentorFlowApp(await LocalStack.GetAsync(), new Dictionary<string, string?> { ["MentorFlow:AdminKeyGuessesPerMinute"] = "3" });
        using var client = app.CreateClient();
        async Task<HttpStatusCode> ListWithAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cohorts");
            request.Headers.Add(Apis.AdminKeyFilter.Header, key);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await ListWithAsync($"guess-{i}-0123456789"));
        }
        var right = await ListWithAsync(MentorFlowApp.AdminKey);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, right);
    }

    [Fact]
    public async Task A_sign_in_post_with_thousands_of_fields_or_megabytes_is_a_4xx_not_a_500()
    {
        await using var app = new MentorFlowApp(await LocalStack.GetAsync());
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var fields = await client.PostAsync("/console/sign-in", new FormUrlEncodedContent(Enumerable.Range(0, 2000).Select(i => KeyValuePair.Create($"f{i}", "x"))));
        using var large = await client.PostAsync("/console/sign-in", new FormUrlEncodedContent([KeyValuePair.Create("key", new string('k', 2 * 1024 * 1024))]));

        Assert.InRange((int)fields.StatusCode, 400, 499);
        Assert.InRange((int)large.StatusCode, 400, 499);
    }
}

/// <summary>Where Entra ID signs admins in, the admin key can be refused altogether.</summary>
public class DisabledAdminKeyTests
{
    [Fact]
    public async Task With_the_admin_key_disabled_the_right_key_is_refused_on_the_api_with_a_problem_saying_so()
    {
        await using var app = new MentorFlowApp(await LocalStack.GetAsync(), new Dictionary<string, string?>
        {
            ["MentorFlow:DisableAdminKey"] = "true",
            ["MentorFlow:EntraAuthority"] = "https://login.example.test/tenant/v2.0",
            ["MentorFlow:EntraAudience"] = "api://mentorflow",
        });
        using var admin = app.Admin();

        using var response = await admin.GetAsync("/api/cohorts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("admin key is disabled", (await Api.ProblemAsync(response))["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
