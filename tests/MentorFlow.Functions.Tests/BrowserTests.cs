using System.Net.Http.Json;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests;

/// <summary>The app on a real Kestrel port, so that Debian's Chromium can reach it.</summary>
public sealed class KestrelAppFixture : IAsyncLifetime
{
    public MentorFlowApp App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = new MentorFlowApp(await LocalStack.GetAsync());
        App.UseKestrel(0);
        App.StartServer();
        BaseAddress = App.ClientOptions.BaseAddress;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public class BrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    public static readonly string ArtifactDirectory = Path.Combine(LocalStack.RepoRoot(), "artifacts", "screenshots");


    [Fact]
    public async Task A_person_fills_in_the_intake_form_in_Chromium_and_sees_the_confirmation_and_the_participant_is_stored()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin);
        var email = Api.UniqueEmail("browser");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refused.Add(message.Text);
            }
        };
        Directory.CreateDirectory(ArtifactDirectory);

        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/cohorts/{cohortId}/join").ToString());
        await page.GetByLabel("Mentee", new PageGetByLabelOptions { Exact = true }).CheckAsync();
        await page.GetByLabel("First name *").FillAsync("Grace");
        await page.GetByLabel("Last name *").FillAsync("Hopper-Nakamura");
        await page.GetByLabel("Email *").FillAsync(email);
        await page.GetByLabel("Career stage *").SelectOptionAsync("early");
        await page.GetByLabel("Specialty *").FillAsync("Anesthesiology");
        await page.GetByLabel("Practice setting *").SelectOptionAsync("community");
        await page.GetByLabel("Institution *").FillAsync("Lakeside Hospital");
        await page.GetByLabel("City *").FillAsync("Seattle");
        await page.GetByLabel("State or province *").FillAsync("WA");
        await page.GetByLabel("Country code *").FillAsync("US");
        await page.GetByLabel("Time zone *").SelectOptionAsync("America/Los_Angeles");
        await page.GetByLabel("Most important aspect *").SelectOptionAsync("leadership");
        await page.GetByLabel("Education", new PageGetByLabelOptions { Exact = true }).CheckAsync();
        await page.Locator("#attendingNationalMeeting-true").CheckAsync();
        await page.GetByLabel("A match from a different region").CheckAsync();
        await page.GetByLabel("Your goals for this program *").FillAsync("Lead my department's quality program.");
        await page.Locator("#consent").CheckAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "intake-form-filled.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Register" }).ClickAsync();
        await page.WaitForSelectorAsync("[role=status]");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "intake-confirmation.png"), FullPage = true });

        Assert.Equal("Thank you, Grace", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Please check your email", await page.Locator("[role=status]").InnerTextAsync());
        // The stylesheet applies under the Content-Security-Policy, and nothing on the pages was refused by it.
        Assert.Equal("704px", await page.EvaluateAsync<string>("getComputedStyle(document.body).maxWidth")); // 44rem from the stylesheet
        Assert.Empty(refused);
        Assert.Equal("unconfirmed", (await Api.ParticipantsAsync(admin, cohortId)).Single()!["status"]!.GetValue<string>());
        var stored = Assert.Single(await Api.ParticipantsAsync(admin, cohortId))!.AsObject();
        Assert.Equal(email, stored["email"]!.GetValue<string>());
        Assert.Equal("early", stored["careerStage"]!.GetValue<string>());
        Assert.Equal(["leadership", "education"], stored["aspects"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(stored["preferences"]!["differentRegion"]!.GetValue<bool>());
        Assert.True(File.Exists(Path.Combine(ArtifactDirectory, "intake-confirmation.png")));
    }

    [Fact]
    public async Task A_person_who_submits_an_empty_form_is_taken_to_an_error_summary_that_links_to_each_field()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/cohorts/{cohortId}/join").ToString());
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Register" }).ClickAsync();
        await page.WaitForSelectorAsync("[role=alert]");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "intake-errors.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Email: Required." }).ClickAsync();

        Assert.Equal("email", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal("true", await page.Locator("#email").GetAttributeAsync("aria-invalid"));
        Assert.Empty(await Api.ParticipantsAsync(admin, cohortId));
    }

    [Fact]
    public async Task A_person_confirms_from_the_first_emails_link_and_later_withdraws_from_the_manage_link_by_pressing_the_buttons_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin);
        var email = Api.UniqueEmail("browserflow");
        using var client = fixture.App.CreateClient();
        (await client.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email))).EnsureSuccessStatusCode();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        Directory.CreateDirectory(ArtifactDirectory);
        string Local(string text, string route) => new Uri(fixture.BaseAddress,
            new Uri(System.Text.RegularExpressions.Regex.Match(text, $@"(http\S+{route}\S+)").Groups[1].Value).PathAndQuery).ToString();

        var confirmation = Assert.Single(await fixture.App.Stack.Inbox.WaitForAsync([email], 1));
        await page.GotoAsync(Local(confirmation.Text!, "/c/"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "confirm.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Confirm my registration" }).ClickAsync();
        var confirmed = await page.Locator("h1").InnerTextAsync();
        var receipt = (await fixture.App.Stack.Inbox.WaitForAsync([email], 2)).Single(e => e.Subject.Contains("registered as a", StringComparison.Ordinal));
        await page.GotoAsync(Local(receipt.Text!, "/m/"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "manage.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Withdraw from the program" }).ClickAsync();
        var withdrawn = await page.Locator("h1").InnerTextAsync();

        Assert.Equal("You are registered", confirmed);
        Assert.Equal("You have withdrawn", withdrawn);
        Assert.Equal("withdrawn", Assert.Single(await Api.ParticipantsAsync(admin, cohortId))!["status"]!.GetValue<string>());
    }
}
