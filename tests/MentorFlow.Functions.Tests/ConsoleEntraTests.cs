using System.Diagnostics;
using System.Globalization;
using System.Net;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// A real OpenID Connect provider (oidc-provider from npm, run by node) standing in for Entra ID, and the app configured for it:
/// the console's sign-in is the authorization code flow with PKCE, as against Entra ID.
/// </summary>
public sealed class EntraConsoleFixture : IAsyncLifetime
{
    private Process? _provider;

    public MentorFlowApp App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var appPort = LocalStack.FreePort();
        var providerPort = LocalStack.FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(LocalStack.RepoRoot(), "tests", "MentorFlow.Functions.Tests", "oidc-provider.mjs"),
                providerPort.ToString(CultureInfo.InvariantCulture), $"http://127.0.0.1:{appPort}/console/signin-oidc" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = LocalStack.RepoRoot(),
        };
        _provider = Process.Start(start)!;
        _provider.BeginOutputReadLine();
        _provider.BeginErrorReadLine();
        Assert.True(await DiscoveryAnswersAsync(providerPort), "oidc-provider did not answer its discovery document within 30 s.");
        App = new MentorFlowApp(await LocalStack.GetAsync(), new Dictionary<string, string?>
        {
            ["MentorFlow:EntraAuthority"] = $"http://127.0.0.1:{providerPort}",
            ["MentorFlow:EntraAudience"] = "mentorflow-api",
            ["MentorFlow:EntraClientId"] = "mentorflow-console",
            ["MentorFlow:EntraClientSecret"] = "console-secret-for-tests-only",
            ["MentorFlow:EntraAllowHttpMetadata"] = "true",
        });
        App.UseKestrel(appPort);
        App.StartServer();
        BaseAddress = App.ClientOptions.BaseAddress;
    }

    private async Task<bool> DiscoveryAnswersAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 120 && !_provider!.HasExited; attempt++)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/.well-known/openid-configuration");
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                // Not listening yet: the only failure expected while node starts.
            }
            await Task.Delay(250);
        }
        return false;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        _provider?.Kill(entireProcessTree: true);
        _provider?.Dispose();
    }
}

public class ConsoleEntraTests(EntraConsoleFixture fixture) : IClassFixture<EntraConsoleFixture>
{

    private async Task<IPage> SignInAsync(IBrowser browser, string login, Func<IBrowserContext, Task>? beforeLogin = null)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/console").ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft Entra ID" }).ClickAsync();
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any password");
        if (beforeLogin is not null)
        {
            await beforeLogin(context);
        }
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    [Fact]
    public async Task An_account_with_the_admin_role_signs_in_with_code_and_PKCE_and_reaches_the_console()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignInAsync(browser, "admin-ada");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/console/?$"));

        Assert.Equal("Cohorts", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Signed in as admin-ada", await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);
        // The sign-in page offers Entra ID only: the admin key is not a way into this deployment's console.
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/console/sign-in").ToString());
        Assert.Equal(0, await page.Locator("input[name=key]").CountAsync());
    }

    /// <summary>
    /// The handler pushes its authorization request (PAR) because the provider offers it, so the browser carries only a
    /// reference; the provider is configured to require PKCE, so the successful sign-in above could not happen without it.
    /// </summary>
    [Fact]
    public async Task The_authorization_request_is_pushed_to_the_provider_and_the_browser_carries_only_its_reference()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.BaseAddress };

        using var challenge = await client.GetAsync("/console/sign-in/entra?returnUrl=/console");

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!;
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("/auth", location.AbsolutePath);
        Assert.Equal("mentorflow-console", query["client_id"]);
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", query["request_uri"], StringComparison.Ordinal);
        Assert.Null(query["code_challenge"]); // not in the browser's address: it went to the provider directly
    }

    [Fact]
    public async Task An_account_without_the_admin_role_gets_a_403_page()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        var page = await SignInAsync(browser, "reader-bob");
        var response = await page.GotoAsync(new Uri(fixture.BaseAddress, "/console").ToString());

        Assert.Equal(403, response!.Status);
        Assert.Equal("Not an admin", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task A_tampered_state_is_refused_and_no_session_is_started()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        var page = await SignInAsync(browser, "admin-eve", context => context.RouteAsync("**/console/signin-oidc**", route =>
        {
            var body = route.Request.PostData ?? "";
            var tampered = System.Text.RegularExpressions.Regex.Replace(body, "state=([^&]+)", m => "state=" + m.Groups[1].Value[..^4] + "AAAA");
            return route.ContinueAsync(new RouteContinueOptions { PostData = System.Text.Encoding.UTF8.GetBytes(tampered) });
        }));

        Assert.Contains("/console/sign-in?failed=1", page.Url, StringComparison.Ordinal);
        Assert.Contains("did not complete", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/console").ToString());
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_nonce_is_refused_and_no_session_is_started()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        var page = await SignInAsync(browser, "admin-mallory", async context =>
        {
            var nonces = (await context.CookiesAsync([new Uri(fixture.BaseAddress, "/console/signin-oidc").ToString()])).Where(c => c.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(nonces);
            await context.ClearCookiesAsync(new BrowserContextClearCookiesOptions { Name = nonces[0].Name });
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.OpenIdConnect.Nonce.forged", Value = "N", Domain = "127.0.0.1", Path = "/console/signin-oidc" }]);
        });

        Assert.Contains("/console/sign-in?failed=1", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/console").ToString());
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);
    }
}
