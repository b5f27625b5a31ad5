using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests;

/// <summary>The console's app: a real Kestrel port for Chromium, a database and task hub of its own, and Development's clock that the console moves.</summary>
public sealed class ConsoleAppFixture : KestrelAppFixture
{
    /// <summary>A named admin key besides the single one: whoever signs in with it acts as "Dr Rivera".</summary>
    public const string RiveraKey = "rivera-console-key-0123456789";

    protected override MentorFlowApp Create(LocalStack stack)
    {
        var settings = MentorFlowApp.RunningTheWorkflow(stack);
        settings["MentorFlow:AdminKeys:Dr Rivera"] = RiveraKey;
        return new(stack, settings, services => services.AddSingleton<TimeProvider>(new DevClock(TimeSpan.Zero)));
    }

    /// <summary>The app's clock (Development's, which the console's dev clock buttons move).</summary>
    public DateTimeOffset Now => App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
}

/// <summary>
/// The admin console end to end in Chromium on the real stack, every page checked by axe-core (WCAG 2.1 A and AA) and kept
/// as a screenshot in artifacts/screenshots/console-*.png.
/// </summary>
public partial class ConsoleTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{

    private readonly PageAudit _audit = new("console");

    private string Url(string path) => new Uri(fixture.BaseAddress, path).ToString();

    private Task CheckAsync(IPage page, string name) => _audit.CheckAsync(page, name);

    private Task<IPage> WatchedPageAsync(IBrowser browser) => _audit.WatchedPageAsync(browser);

    private async Task<IPage> SignedInPageAsync(IBrowser browser)
    {
        var page = await WatchedPageAsync(browser);
        await page.GotoAsync(Url("/console"));
        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync(MentorFlowApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("h1", new() { HasTextString = "Cohorts" }).WaitForAsync(); // the cohorts page, reached after sign-in
        return page;
    }

    private static Task ClickAsync(IPage page, string button) => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).First.ClickAsync();

    /// <summary>
    /// Clicks and waits for the navigation it starts to reach a URL that <paramref name="url"/> accepts, with its document parsed
    /// (what the test reads next). The wait is set up before the click, so it is this navigation's, not a state of the page before.
    /// </summary>
    private static async Task SubmitAsync(IPage page, Func<Task> click, Func<string, bool> url)
    {
        Assert.False(url(page.Url), $"the page is already at {page.Url}"); // else the wait below would end at once
        var navigated = page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await click();
        await navigated;
    }

    [Fact]
    public async Task An_admin_runs_a_cohort_from_intake_to_the_dashboard_in_the_browser_and_every_page_passes_axe()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WatchedPageAsync(browser);

        // Sign in with the key: /console sends a stranger to the sign-in page first.
        await page.GotoAsync(Url("/console"));
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);
        await CheckAsync(page, "sign-in");
        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync("not-the-key-at-all");
        await ClickAsync(page, "Sign in");
        Assert.Equal("That is not the admin key.", await page.Locator("[role=alert]").InnerTextAsync());
        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync(MentorFlowApp.AdminKey);
        await ClickAsync(page, "Sign in");
        await page.Locator("h1", new() { HasTextString = "Cohorts" }).WaitForAsync(); // the cohorts page, reached after sign-in
        await CheckAsync(page, "cohorts");

        // Create a cohort: an empty form shows the API's field errors on the fields; a full one creates it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Create a cohort" }).ClickAsync();
        await ClickAsync(page, "Create the cohort");
        await page.WaitForSelectorAsync("[role=alert]");
        Assert.Equal("true", await page.Locator("#name").GetAttributeAsync("aria-invalid"));
        Assert.Contains("Required", await page.Locator("#name-error").InnerTextAsync(), StringComparison.Ordinal);
        // The summary lists the errors as the form shows the fields, top to bottom, each by its label, never by the API's path.
        var summary = (await page.Locator("#errors li").AllInnerTextsAsync()).Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]).ToList();
        var order = new[] { "Name", "Society", "Admin emails", "Meeting name", "First day of the meeting", "City of the meeting", "Intake closes on", "Program starts on" };
        Assert.Equal(order, summary.Where(order.Contains));
        Assert.All(summary, label => Assert.True(char.IsUpper(label[0]) && !label.Contains('.', StringComparison.Ordinal), label)); // "First day of the meeting", not "nationalMeeting.startsOn"
        await CheckAsync(page, "create-errors");
        var today = fixture.Now.UtcDateTime.Date; // the app's clock, which another test of this class may have moved on
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GetByLabel("Name *", new() { Exact = true }).FillAsync("Console cohort");
        await page.GetByLabel("Society *", new() { Exact = true }).FillAsync("Society of Consoles");
        await page.GetByLabel("Admin emails *", new() { Exact = true }).FillAsync("admins@society.test");
        await page.GetByLabel("Meeting name *", new() { Exact = true }).FillAsync("Annual Meeting");
        await page.GetByLabel("First day of the meeting *", new() { Exact = true }).FillAsync(Day(45));
        await page.GetByLabel("City of the meeting *", new() { Exact = true }).FillAsync("Chicago");
        await page.GetByLabel("Intake closes on *", new() { Exact = true }).FillAsync(Day(5));
        await page.GetByLabel("Program starts on *", new() { Exact = true }).FillAsync(Day(7));
        await CheckAsync(page, "create");
        await ClickAsync(page, "Create the cohort");
        await page.WaitForSelectorAsync("[role=status]");
        var cohortId = Regex.Match(page.Url, "/console/cohorts/([^/?]+)").Groups[1].Value;
        Assert.Equal("Console cohort", await page.Locator("h1").InnerTextAsync());

        // Open intake — the overview's next step, as a button; the join link is the cohort's form.
        Assert.Equal("Open intake", (await page.Locator(".next-step button").InnerTextAsync()).Trim());
        await ClickAsync(page, "Open intake");
        await page.WaitForSelectorAsync("text=Intake is open");
        var joinUrl = await page.Locator("#join-link").InputValueAsync();
        Assert.EndsWith($"/cohorts/{cohortId}/join", joinUrl, StringComparison.Ordinal);
        // The script ran under the CSP: it adds the button once it runs (deferred, so after the page loaded; waited for, not sampled).
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy the join link" }).WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await CheckAsync(page, "overview");
        // What the cohort waits for next is said in words, not the API's code ("intakeClose").
        Assert.Contains("· next: intake closes on ", await page.Locator("main p", new() { HasText = "· next:" }).InnerTextAsync(), StringComparison.Ordinal);

        // People register through the public form (one in this browser, the rest by the form's JSON twin) and confirm.
        var register = await WatchedPageAsync(browser);
        await register.GotoAsync(Url($"/cohorts/{cohortId}/join"));
        await new PersonOnForm("mentee", "Grace", "Form-Filler", Api.UniqueEmail("grace"), "early", "Anesthesiology", "community", "Lakeside Hospital", "Seattle", "WA", "US",
            "America/Los_Angeles", "research", "Publish my first paper.").FillAsync(register);
        await register.Locator("#consent").CheckAsync();
        await register.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await register.WaitForSelectorAsync("[role=status]");
        await CheckAsync(register, "intake-thanks");
        using var anyone = fixture.App.CreateClient();
        string[] mentees = ["Ada Quill", "Bo Renner", "Cy Tamura"];
        string[] mentors = ["Dr Mira Vance", "Dr Omar Haddad", "Dr Lena Ortiz"];
        var menteeEmail = "";
        foreach (var (name, i) in mentees.Select((n, i) => (n, i)))
        {
            var body = Api.Mentee(Api.UniqueEmail($"mentee{i}"));
            (body["firstName"], body["lastName"]) = (name.Split(' ')[0], name.Split(' ')[1]);
            menteeEmail = i == 0 ? body["email"]!.GetValue<string>() : menteeEmail;
            (await anyone.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", body)).EnsureSuccessStatusCode();
        }
        foreach (var (name, i) in mentors.Select((n, i) => (n, i)))
        {
            var body = Api.Mentor(Api.UniqueEmail($"mentor{i}"));
            (body["firstName"], body["lastName"]) = (string.Join(' ', name.Split(' ')[..2]), name.Split(' ')[2]);
            body["institution"] = $"Hospital {i}";
            (await anyone.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", body)).EnsureSuccessStatusCode();
        }
        using var admin = fixture.App.Admin();
        await Api.ConfirmAllAsync(admin, cohortId);

        // Participants: the table filters by role and text.
        await page.GetByRole(AriaRole.Link, new() { Name = "Participants" }).ClickAsync();
        Assert.Equal(7, await page.Locator("tbody tr").CountAsync());
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("mentor");
        await ClickAsync(page, "Filter");
        Assert.Equal(3, await page.Locator("tbody tr").CountAsync());
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByLabel("Name, email, institution or specialty", new() { Exact = true }).FillAsync("grace");
        await ClickAsync(page, "Filter");
        Assert.Equal("Grace Form-Filler", (await page.Locator("tbody th a").InnerTextAsync()).Trim());
        await CheckAsync(page, "participants");
        await page.Locator("tbody th a").ClickAsync();
        await CheckAsync(page, "participant");
        // Her registration's emails are named in words, with when each went (or that it waits).
        var emails = await page.Locator("h2:text-is('Emails about the registration') + ul li").AllInnerTextsAsync();
        Assert.Contains(emails, e => e.StartsWith("The confirmation request: sent ", StringComparison.Ordinal) || e == "The confirmation request: waiting to be sent" || e == "The confirmation request: being sent");
        Assert.DoesNotContain(emails, e => e.StartsWith("confirm", StringComparison.Ordinal));

        // Close intake: matching runs; pin one pair and forbid another from the rows, re-run, read what changed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await ClickAsync(page, "Close intake now");
        await page.Locator(".next-step a.button").ClickAsync(); // the next step now is the matching: a link styled as a button
        Assert.EndsWith($"/console/cohorts/{cohortId}/matching", page.Url, StringComparison.Ordinal);
        if (await page.GetByRole(AriaRole.Button, new() { Name = "Run matching" }).CountAsync() > 0)
        {
            await ClickAsync(page, "Run matching");
        }
        await page.WaitForSelectorAsync("#pairs-title");
        var firstRow = page.Locator("#pairs-title ~ div tbody tr").First;
        var pinnedMentee = (await firstRow.Locator("th").InnerTextAsync()).Trim();
        // By keyboard: the row's Pin button takes focus (visibly) and Enter presses it.
        await firstRow.GetByRole(AriaRole.Button, new() { Name = "Pin" }).First.FocusAsync();
        Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("text=Pinned: this pair is kept");
        var secondRow = page.Locator("#pairs-title ~ div tbody tr").Nth(1);
        await secondRow.GetByRole(AriaRole.Button, new() { Name = "Forbid" }).First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("text=Forbidden: this pair is never proposed");
        Assert.Contains("1 pinned, 1 forbidden", await page.Locator("#steering-title + p").InnerTextAsync(), StringComparison.Ordinal);
        // A forbid taken back by its own button, then set again from the row.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Take back the forbid of ") }).ClickAsync();
        await page.WaitForSelectorAsync("text=The pin or forbid is taken back");
        Assert.Contains("1 pinned, 0 forbidden", await page.Locator("#steering-title + p").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#pairs-title ~ div tbody tr").Nth(1).GetByRole(AriaRole.Button, new() { Name = "Forbid" }).First.ClickAsync();
        await page.WaitForSelectorAsync("text=Forbidden: this pair is never proposed");
        Assert.Contains("1 pinned, 1 forbidden", await page.Locator("#steering-title + p").InnerTextAsync(), StringComparison.Ordinal);
        await ClickAsync(page, "Re-run matching");
        await page.WaitForSelectorAsync("#diff-title");
        Assert.Matches(@"What changed from v\d+ to v\d+", await page.Locator("#diff-title").InnerTextAsync());
        var changed = await page.Locator("#diff-title ~ ul li").AllInnerTextsAsync();
        Assert.Matches(@"^(1 pair|\d+ pairs) added, [1-9]\d* removed, \d+ kept\.$", changed[0]);
        // A change is signed, or "unchanged" where it rounds to nothing (never "+0.0" or "0 points").
        Assert.Matches(@"^Mean score: (unchanged|[+-]\d+\.\d); total points: (unchanged|[+-]\d+)\.$", changed[1]);
        Assert.Matches(@"^Mentees matched: (unchanged|[+-][\d.]+ percentage points); first aspect covered: (unchanged|[+-][\d.]+ percentage points); unmatched mentees: (unchanged|[+-]\d+)\.$", changed[2]);
        Assert.Contains("(pinned)", await page.Locator("#pairs-title ~ div tbody").InnerTextAsync(), StringComparison.Ordinal);
        await CheckAsync(page, "matching");

        // Approve (with its confirmation), then launch from its preview.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Approve v") }).ClickAsync();
        await CheckAsync(page, "approve");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Approve v") }).ClickAsync();
        await page.WaitForSelectorAsync("text=Launch 4 pairs now");
        Assert.Contains("On time", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("First check-in", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("8 (one to each person", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await CheckAsync(page, "launch");
        await ClickAsync(page, "Launch 4 pairs now");
        await page.WaitForSelectorAsync("text=Launched: every approved pair");
        Assert.Equal(4, await page.Locator("tbody tr").CountAsync());

        // A day on the dev clock introduces the pairs; a month and a week later every pair has had its first check-in.
        await ClickAsync(page, "Advance a day");
        await page.WaitForSelectorAsync("text=The dev clock moved forward");
        await ClickAsync(page, "Advance a month");
        await page.WaitForSelectorAsync("text=The dev clock moved forward");
        await ClickAsync(page, "Advance a week");
        await page.WaitForSelectorAsync("text=The dev clock moved forward");
        var months = await page.Locator("tbody tr td:nth-child(4)").AllInnerTextsAsync(); // the tick box, the pair, its state, its month
        Assert.All(months, month => Assert.Equal("1", month.Trim()));
        await CheckAsync(page, "pairs");

        // The mentee answers from the link in their email; the pair's timeline shows it.
        var checkIn = (await fixture.App.Stack.Inbox.WaitForAsync([menteeEmail], 4)).Last(e => e.Text!.Contains("We met:", StringComparison.Ordinal));
        var link = new Uri(Regex.Match(checkIn.Text!, @"We met: (http\S+/r/\S+)").Groups[1].Value).PathAndQuery;
        var answer = await WatchedPageAsync(browser);
        await answer.GotoAsync(Url(link));
        await CheckAsync(answer, "answer");
        await answer.GetByRole(AriaRole.Button).ClickAsync();
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^{mentees[0]} with ") }).ClickAsync();
        Assert.Contains("month 1: mentee “we met”", await page.Locator("dl.facts").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Check in answered", await page.Locator("#history-title ~ div table").InnerTextAsync(), StringComparison.Ordinal);
        await CheckAsync(page, "pair");

        // Pause and resume from the pair's page, by keyboard.
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("text=The pair is paused");
        Assert.Contains("paused", await page.Locator("main > p .badge").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("text=The pair resumed");
        Assert.Contains("Resumed", await page.Locator("#history-title ~ div table").InnerTextAsync(), StringComparison.Ordinal);

        // Email wording: a broken template is refused on the field; the preview renders for one of the cohort's pairs.
        await page.GetByRole(AriaRole.Link, new() { Name = "Emails" }).ClickAsync();
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Hello {{ mentee.name ");
        await ClickAsync(page, "Save the wording");
        await page.WaitForSelectorAsync("#subject-error");
        Assert.Equal("true", await page.Locator("#subject").GetAttributeAsync("aria-invalid"));
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Welcome, {{ mentee.name }}");
        await ClickAsync(page, "Preview");
        var frame = page.FrameLocator("iframe[name=preview]");
        await frame.Locator("text=Welcome,").WaitForAsync();
        Assert.Matches(@"Subject: Welcome, (Ada|Bo|Cy|Grace)", await frame.Locator("p").First.InnerTextAsync());
        // Neither the refused save nor the preview kept anything.
        Assert.False((await admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/templates"))!["introduction"]!["custom"]!.GetValue<bool>());
        await CheckAsync(page, "emails");

        // The dashboard's figures are the report's.
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await CheckAsync(page, "dashboard");
        var report = (await admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/report"))!;
        Assert.Equal(report["pairs"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture), await page.Locator("[data-figure=pairs]").InnerTextAsync());
        Assert.Equal(report["metShare"]!.GetValue<double>().ToString("P0", CultureInfo.InvariantCulture), await page.Locator("[data-figure=metShare]").InnerTextAsync());
        Assert.Equal(report["everAtRisk"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture), await page.Locator("[data-figure=everAtRisk]").InnerTextAsync());
        var metCells = await page.Locator("#met-table tbody td").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.Equal(report["months"]!.AsArray().Select(m => (m!["metShare"]?.GetValue<double>() ?? 0).ToString(CultureInfo.InvariantCulture)), metCells);
        var stateCells = await page.Locator("#states-table tbody td").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.Equal(report["byStatus"]!.AsObject().Select(s => s.Value!.GetValue<int>().ToString(CultureInfo.InvariantCulture)), stateCells);
        // The states are named in words, not the API's codes ("at risk", not "atRisk").
        Assert.Contains("at risk", await page.Locator("#states-table tbody th").AllInnerTextsAsync());
        var termCells = await page.Locator("#term-table tbody td").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.Equal(report["months"]!.AsArray().SelectMany(m => new[] { "onTrack", "atRisk", "endedEarly" }.Select(k => m![k]!.GetValue<int>().ToString(CultureInfo.InvariantCulture))), termCells);
        Assert.Equal(1, report["months"]![0]!["met"]!.GetValue<int>());
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/report"));
        await CheckAsync(page, "report");

        // Sign out: the console is closed again.
        await page.GotoAsync(Url("/console"));
        await ClickAsync(page, "Sign out");
        await page.WaitForSelectorAsync("text=You are signed out");
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}"));
        Assert.Contains("/console/sign-in", page.Url, StringComparison.Ordinal);

        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
        Assert.NotEmpty(pinnedMentee);
    }

    /// <summary>360 CSS pixels is a small phone; 640 is a 1280-pixel window at 200 % zoom. No page scrolls sideways as a whole (wide tables scroll in their own region).</summary>
    [Theory]
    [InlineData(360)]
    [InlineData(640)]
    public async Task Every_console_page_and_every_participant_form_fits_a_narrow_window_without_scrolling_sideways(int width)
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var (cohortId, _) = await Launch.CohortAsync(admin, anyone, pairs: 3, today: fixture.Now, beforeLaunch: async id =>
        {
            (await admin.PutAsJsonAsync($"/api/cohorts/{id}/pulse", new { month = 2, questions = new[] { new { label = "How is it going?", type = "choice", options = new[] { "Well", "Badly" } } } }))
                .EnsureSuccessStatusCode();
            (await admin.PutAsJsonAsync($"/api/cohorts/{id}/survey/questions", new[] { new { label = "One piece of advice for next year's pairs?", type = "text" } }))
                .EnsureSuccessStatusCode();
            // A wide logo (shown 576 pixels across at its 48 pixels high) on every participant page of the cohort.
            (await admin.PutAsync($"/api/cohorts/{id}/logo", new ByteArrayContent(MentorFlow.Tests.TestImages.Png(1200, 100)) { Headers = { ContentType = new("image/png") } }))
                .EnsureSuccessStatusCode();
        });
        var pairId = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!["id"]!.GetValue<string>();
        var openId = await Api.CreateCohortAsync(admin, today: fixture.Now);
        var pair = (await fixture.App.Services.GetRequiredService<CosmosStore>().ReadPairAsync(cohortId, pairId, CancellationToken.None))!.Pair;
        var tokens = fixture.App.Services.GetRequiredService<ResponseTokens>();
        string[] participants = [$"/cohorts/{openId}/join", new Uri(tokens.Survey(pair, pair.Mentee)).PathAndQuery,
            new Uri(tokens.Manage(cohortId, pair.Mentee.ParticipantId)).PathAndQuery, new Uri(tokens.CheckIn(pair, pair.Mentor, 1, Shared.Pairing.Answer.Met)).PathAndQuery,
            new Uri(tokens.Pulse(pair, pair.Mentor)).PathAndQuery];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);
        await page.SetViewportSizeAsync(width, 800);
        var wide = new List<string>();

        foreach (string path in (string[])["/console", "/console/cohorts/new", $"/console/cohorts/{cohortId}", $"/console/cohorts/{cohortId}/participants", $"/console/cohorts/{cohortId}/matching",
            $"/console/cohorts/{cohortId}/launch", $"/console/cohorts/{cohortId}/pairs", $"/console/cohorts/{cohortId}/pairs/{pairId}", $"/console/cohorts/{cohortId}/emails",
            $"/console/cohorts/{cohortId}/dashboard", $"/console/cohorts/{cohortId}/messages?audience=pair:{pairId}", $"/console/cohorts/{cohortId}/audit", $"/console/cohorts/{cohortId}/alerts",
            $"/console/cohorts/{openId}/participants/import", "/console/program", $"/console/cohorts/{openId}/questions", $"/console/cohorts/{openId}/pulse", $"/console/cohorts/{openId}/survey-questions", $"/console/cohorts/{openId}/participants/new", $"/console/cohorts/{cohortId}/branding",
            $"/console/cohorts/{cohortId}/pulse", $"/console/cohorts/{cohortId}/emails?kind=confirmation",
            $"/console/cohorts/{cohortId}/pairs?size=2&page=2", $"/console/cohorts/{cohortId}/participants?size=2&page=2", ..participants])
        {
            await page.GotoAsync(Url(path));
            var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            var (scroll, client) = (sizes[0], sizes[1]);
            if (scroll > client)
            {
                wide.Add($"{path}: {scroll} > {client}");
            }
        }

        Assert.Empty(wide);
    }
}
