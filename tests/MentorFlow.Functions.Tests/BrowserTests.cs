using System.Net.Http.Json;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using MentorFlow.Shared.Pairing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests;

/// <summary>The app on a real Kestrel port, so that Debian's Chromium can reach it.</summary>
public class KestrelAppFixture : IAsyncLifetime
{
    public MentorFlowApp App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The app before it starts; a fixture that needs other settings or services makes its own.</summary>
    protected virtual MentorFlowApp Create(LocalStack stack) => new(stack);

    public async Task InitializeAsync()
    {
        App = Create(await LocalStack.GetAsync());
        App.UseKestrel(0);
        App.StartServer();
        BaseAddress = App.ClientOptions.BaseAddress;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public class BrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private static string ArtifactDirectory => PageAudit.ScreenshotDirectory;

    private readonly PageAudit _audit = new("participant");


    [Fact]
    public async Task A_person_fills_in_the_intake_form_in_Chromium_and_sees_the_confirmation_and_the_participant_is_stored()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin);
        var email = Api.UniqueEmail("browser");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await _audit.WatchedPageAsync(browser);

        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/cohorts/{cohortId}/join").ToString());
        await _audit.CheckAsync(page, "join");
        await new PersonOnForm("mentee", "Grace", "Hopper-Nakamura", email, "early", "Anesthesiology", "community", "Lakeside Hospital", "Seattle", "WA", "US",
            "America/Los_Angeles", "leadership", "Lead my department's quality program.").FillAsync(page);
        await page.GetByLabel("Education", new PageGetByLabelOptions { Exact = true }).CheckAsync();
        await page.GetByLabel("A match from a different region").CheckAsync();
        await page.Locator("#consent").CheckAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "intake-form-filled.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Register" }).ClickAsync();
        await page.WaitForSelectorAsync("[role=status]");
        await _audit.CheckAsync(page, "check-your-email");

        Assert.Equal("Thank you, Grace", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Please check your email", await page.Locator("[role=status]").InnerTextAsync());
        // The stylesheet applies under the Content-Security-Policy, and nothing on the pages was refused by it.
        Assert.Equal("704px", await page.EvaluateAsync<string>("getComputedStyle(document.body).maxWidth")); // 44rem from the stylesheet
        Assert.Empty(_audit.Refused);
        Assert.Empty(_audit.Violations);
        Assert.Equal("unconfirmed", (await Api.ParticipantsAsync(admin, cohortId)).Single()!["status"]!.GetValue<string>());
        var stored = Assert.Single(await Api.ParticipantsAsync(admin, cohortId))!.AsObject();
        Assert.Equal(email, stored["email"]!.GetValue<string>());
        Assert.Equal("early", stored["careerStage"]!.GetValue<string>());
        Assert.Equal(["leadership", "education"], stored["aspects"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(stored["preferences"]!["differentRegion"]!.GetValue<bool>());
        Assert.True(File.Exists(Path.Combine(ArtifactDirectory, "participant-check-your-email.png")));
    }

    [Fact]
    public async Task A_person_who_submits_an_empty_form_is_taken_to_an_error_summary_that_links_to_each_field()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await _audit.WatchedPageAsync(browser);

        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/cohorts/{cohortId}/join").ToString());
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Register" }).ClickAsync();
        await page.WaitForSelectorAsync("[role=alert]");
        await _audit.CheckAsync(page, "join-errors");
        // In the form's order, by the labels the form shows: the first is the first field, "State or province" comes before "Time zone".
        var summary = (await page.Locator("#errors li").AllInnerTextsAsync()).Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]).ToList();
        Assert.Equal("I am joining as a", summary[0]);
        Assert.True(summary.IndexOf("State or province") is var region and >= 0 && region < summary.IndexOf("Time zone"), string.Join(" | ", summary));
        Assert.Equal("I agree that the program team stores these answers to match me and run the program, and I will keep my pair's conversations confidential.", summary[^1]);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Email: Required." }).ClickAsync();

        Assert.Equal("email", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal("true", await page.Locator("#email").GetAttributeAsync("aria-invalid"));
        Assert.Empty(await Api.ParticipantsAsync(admin, cohortId));
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
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
        var page = await _audit.WatchedPageAsync(browser);
        string Local(string text, string route) => new Uri(fixture.BaseAddress,
            new Uri(System.Text.RegularExpressions.Regex.Match(text, $@"(http\S+{route}\S+)").Groups[1].Value).PathAndQuery).ToString();

        var confirmation = Assert.Single(await fixture.App.Stack.Inbox.WaitForAsync([email], 1));
        await page.GotoAsync(Local(confirmation.Text!, "/c/"));
        await _audit.CheckAsync(page, "confirm");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Confirm my registration" }).ClickAsync();
        var confirmed = await page.Locator("h1").InnerTextAsync();
        await _audit.CheckAsync(page, "confirmed");
        var receipt = Assert.Single(await fixture.App.Stack.Inbox.WaitForAsync([email], e => e.Subject.Contains("registered as a", StringComparison.Ordinal), 1));
        await page.GotoAsync(Local(receipt.Text!, "/m/"));
        await _audit.CheckAsync(page, "manage");
        var manage = page.Url;
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Change my answers" }).ClickAsync();
        var prefilled = await page.GetByLabel("Email *").InputValueAsync();
        await _audit.CheckAsync(page, "edit");
        await page.GotoAsync(manage);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Withdraw from the program" }).ClickAsync();
        var withdrawn = await page.Locator("h1").InnerTextAsync();
        await _audit.CheckAsync(page, "withdrawn");
        await page.GotoAsync(manage[..^4] + "xxxx"); // the link with its signature damaged
        var damaged = await page.Locator("h1").InnerTextAsync();
        await _audit.CheckAsync(page, "invalid-link");

        Assert.Equal("You are registered", confirmed);
        Assert.Equal(email, prefilled);
        Assert.Equal("You have withdrawn", withdrawn);
        Assert.Equal("Link not valid", damaged);
        Assert.Equal("withdrawn", Assert.Single(await Api.ParticipantsAsync(admin, cohortId))!["status"]!.GetValue<string>());
        Assert.Equal(["confirm", "confirmed", "manage", "edit", "withdrawn", "invalid-link"], _audit.Checked);
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }

    [Fact]
    public async Task The_check_in_and_survey_pages_and_a_closed_cohorts_join_link_pass_axe_core_and_the_survey_shows_errors_on_its_fields()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var (cohortId, _) = await Launch.CohortAsync(admin, anyone, pairs: 1);
        var closedId = await Api.CreateCohortAsync(admin, open: false);
        var pair = Assert.Single(await fixture.App.Services.GetRequiredService<CosmosStore>().ListPairsAsync(cohortId, CancellationToken.None)).Pair;
        var tokens = fixture.App.Services.GetRequiredService<ResponseTokens>();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await _audit.WatchedPageAsync(browser);
        // The links as the emails carry them, on this server's port.
        string Url(string link) => new Uri(fixture.BaseAddress, new Uri(link).PathAndQuery).ToString();

        await page.GotoAsync(Url(tokens.CheckIn(pair, pair.Mentee, 1, Answer.NotYet)));
        var checkIn = await page.GetByRole(AriaRole.Button).InnerTextAsync();
        await _audit.CheckAsync(page, "check-in");
        await page.GetByRole(AriaRole.Button).ClickAsync();
        var recorded = await page.Locator("h1").InnerTextAsync();
        await _audit.CheckAsync(page, "check-in-refused");

        await page.GotoAsync(Url(tokens.Survey(pair, pair.Mentor)));
        await _audit.CheckAsync(page, "survey");
        await page.GetByLabel("4", new PageGetByLabelOptions { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Send" }).ClickAsync();
        await page.WaitForSelectorAsync("[role=alert]");
        var summary = await page.Locator("[role=alert] li").AllInnerTextsAsync();
        var kept = await page.GetByLabel("4", new PageGetByLabelOptions { Exact = true }).IsCheckedAsync();
        var goalsInvalid = await page.Locator("#goalsMet-yes").GetAttributeAsync("aria-invalid");
        await _audit.CheckAsync(page, "survey-errors");
        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/cohorts/{closedId}/join").ToString());
        var closed = await page.Locator("main p").InnerTextAsync();
        await _audit.CheckAsync(page, "intake-closed");

        Assert.Equal("Confirm: Not yet", checkIn);
        Assert.Equal("Not recorded", recorded); // the pair was just introduced: month 1's check-in is not out yet
        Assert.Equal(4, summary.Count); // every question but the one answered, each named
        Assert.Contains(summary, line => line.StartsWith("Did the pair meet the goals it set?: ", StringComparison.Ordinal));
        Assert.True(kept);
        Assert.Equal("true", goalsInvalid);
        Assert.Contains("Intake for this cohort is not open (its status: draft)", closed, StringComparison.Ordinal);
        Assert.Empty((await fixture.App.Services.GetRequiredService<CosmosStore>().ReadPairAsync(cohortId, pair.Id, CancellationToken.None))!.Pair.Survey);
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }
}

/// <summary>The API reference works without the internet: every request its page makes goes to the app itself.</summary>
public class ApiReferenceTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public async Task The_API_reference_renders_the_routes_and_asks_nothing_of_another_host()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var elsewhere = new List<string>();
        var own = 0;
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url) is { Scheme: "http" or "https" } url && url.Authority != fixture.BaseAddress.Authority)
            {
                elsewhere.Add(request.Url);
            }
            else
            {
                Interlocked.Increment(ref own);
            }
        };

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/api/reference").ToString(), new() { WaitUntil = WaitUntilState.NetworkIdle });
        await page.GetByText("Messages", new() { Exact = true }).First.WaitForAsync(); // a tag of the document, rendered by the script

        Assert.Empty(elsewhere);
        Assert.True(own >= 3, $"only {own} requests to the app: the page, its script and the OpenAPI document were expected");
    }
}
