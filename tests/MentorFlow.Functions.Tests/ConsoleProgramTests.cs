using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests;

public partial class ConsoleTests
{
    /// <summary>
    /// A named admin works a program in Chromium: searches the pairs board, pauses two pairs at once and stays where they were,
    /// writes to the mentees with a preview and a count, and finds each of those actions under their name in the audit trail.
    /// </summary>
    [Fact]
    public async Task A_named_admin_pauses_pairs_in_bulk_writes_to_the_mentees_and_finds_it_all_in_the_audit_trail_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var (cohortId, tag) = await Launch.CohortAsync(admin, anyone, pairs: 3, today: fixture.Now);
        var pairs = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WatchedPageAsync(browser);
        await page.GotoAsync(Url("/console"));
        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync(ConsoleAppFixture.RiveraKey);
        await ClickAsync(page, "Sign in");
        await page.Locator("h1", new() { HasTextString = "Cohorts" }).WaitForAsync();
        Assert.Contains("Signed in as Dr Rivera", await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);

        // Search the board by a mentor's institution: one pair. Then, on the whole board, tick two pairs and pause them at once.
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/pairs"));
        await page.GetByLabel("Name, email, institution or specialty", new() { Exact = true }).FillAsync("Teaching Hospital 1");
        await SubmitAsync(page, () => ClickAsync(page, "Search"), url => url.Contains("q=Teaching", StringComparison.Ordinal));
        var found = await page.Locator("tbody tr").CountAsync();
        Assert.Equal(1, found);
        await CheckAsync(page, "pairs-search");
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/pairs"));
        Assert.True(await page.Locator("#select-all").IsVisibleAsync()); // the script ran under the CSP
        var first = pairs[0]!["id"]!.GetValue<string>();
        var second = pairs[1]!["id"]!.GetValue<string>();
        await page.Locator($"#select-{first}").CheckAsync();
        await page.Locator($"#select-{second}").CheckAsync();
        await page.GetByLabel("Action", new() { Exact = true }).SelectOptionAsync("pause");
        await ClickAsync(page, "Apply to the ticked pairs");
        await page.WaitForSelectorAsync("text=Done for 2 pairs.");
        Assert.EndsWith($"/console/cohorts/{cohortId}/pairs", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await CheckAsync(page, "pairs-bulk");
        var states = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!.ToDictionary(p => p!["id"]!.GetValue<string>(), p => p!["status"]!.GetValue<string>());
        Assert.Equal(("paused", "paused"), (states[first], states[second]));
        Assert.Equal(1, states.Values.Count(s => s != "paused"));

        // Write to the mentees: the preview counts them and shows the email; sending it twice sends it once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Messages", Exact = true }).ClickAsync();
        await CheckAsync(page, "messages");
        await page.GetByLabel("To *", new() { Exact = true }).SelectOptionAsync("mentees");
        await page.GetByLabel("Subject *", new() { Exact = true }).FillAsync($"See you in Chicago {tag}");
        await page.GetByLabel("Message *", new() { Exact = true }).FillAsync("Look for the mentorship table at the welcome reception.");
        await ClickAsync(page, "Preview");
        await page.WaitForSelectorAsync("text=Preview: 3 people will get this");
        Assert.Contains("Dear ", await page.Locator(".preview-box pre").InnerTextAsync(), StringComparison.Ordinal);
        await CheckAsync(page, "messages-preview");
        await ClickAsync(page, "Send to 3 people");
        await page.WaitForSelectorAsync("text=The message is on its way");
        var sent = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/messages"))!;
        Assert.Equal((3, "Dr Rivera"), (Assert.Single(sent)!["recipients"]!.GetValue<int>(), sent[0]!["actor"]!.GetValue<string>()));

        // A case (opened here as a help request's alert opens it; AdminProductTests raise a real one) is resolved from the console with a note.
        var running = states.First(s => s.Value != "paused").Key;
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/alerts"));
        await CheckAsync(page, "alerts-empty");
        var openCase = Shared.Pairing.AlertCase.Open(cohortId, $"{running}/alert/console-test", Shared.Pairing.CaseKind.NeedsHelp, running, 1, "The mentee asks for help.", fixture.Now);
        await fixture.App.Services.GetRequiredService<Store.CosmosStore>().OpenCaseAsync(openCase, CancellationToken.None);
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "A pair asks for help" }).ClickAsync();
        await CheckAsync(page, "alert");
        await ClickAsync(page, "Resolve with this note");
        await page.WaitForSelectorAsync("#note-error");
        await page.GetByLabel("Note (optional when taking the case, required to resolve it)", new() { Exact = true }).FillAsync("Called them; they meet next week.");
        await ClickAsync(page, "Resolve with this note");
        await page.WaitForSelectorAsync("text=The case is resolved");
        Assert.Contains("Dr Rivera: Called them; they meet next week.", await page.Locator("#notes-title ~ ul").InnerTextAsync(), StringComparison.Ordinal);
        var stored = (await admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/alerts/{openCase.Id}"))!;
        Assert.Equal(("resolved", "Dr Rivera"), (stored["state"]!.GetValue<string>(), stored["owner"]!.GetValue<string>()));

        // The audit trail names the admin for each action, newest first, with links to the pairs.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();
        var rows = await page.Locator("tbody tr").AllInnerTextsAsync();
        Assert.Contains("resolved a case", rows[0], StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Contains("sent a message", StringComparison.Ordinal) && r.Contains("Dr Rivera", StringComparison.Ordinal));
        Assert.Equal(2, rows.Count(r => r.Contains("Dr Rivera", StringComparison.Ordinal) && r.Contains("paused the pair", StringComparison.Ordinal)));
        Assert.Contains(rows, r => r.Contains("launched the cohort", StringComparison.Ordinal) && r.Contains("admin", StringComparison.Ordinal));
        await CheckAsync(page, "audit");

        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }

    /// <summary>
    /// Long tables come a page at a time (here two rows a page, as the address may ask; the page offers 25 to 500): the pairs board,
    /// the participants and the audit trail each say which rows they show and link to the other pages; a bulk action on every pair
    /// that matches reaches the pairs on the other pages too, and brings the admin back to the page they were on.
    /// </summary>
    [Fact]
    public async Task Long_tables_come_a_page_at_a_time_and_a_bulk_action_reaches_every_page_and_keeps_the_admins_place_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var (cohortId, _) = await Launch.CohortAsync(admin, anyone, pairs: 3, today: fixture.Now);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);

        // The board, two pairs a page: page 1 has two, the next page the third; no pair is on both.
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/pairs?size=2"));
        Assert.Equal("Rows 1–2 of 3 (page 1 of 2)", (await page.Locator("nav.pager p").InnerTextAsync()).Trim());
        var onFirst = await page.Locator("tbody th a").AllInnerTextsAsync();
        Assert.Equal(2, onFirst.Count);
        Assert.Equal("2", await page.GetByLabel("Rows per page", new() { Exact = true }).InputValueAsync());
        await CheckAsync(page, "pairs-paged");
        await SubmitAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync(), url => url.Contains("page=2", StringComparison.Ordinal));
        var onSecond = await page.Locator("tbody th a").AllInnerTextsAsync();
        Assert.Equal(3, onFirst.Concat(onSecond).Distinct().Count());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).CountAsync());

        // From page 2, pause every pair that matches: all three are paused, and the admin is back on page 2.
        await page.GetByLabel("Action", new() { Exact = true }).SelectOptionAsync("pause");
        await SubmitAsync(page, () => ClickAsync(page, "Apply to all 3 that match, on every page"), url => url.Contains("done=bulk", StringComparison.Ordinal));
        await page.WaitForSelectorAsync("text=Done for 3 pairs.");
        Assert.Contains("size=2&page=2", page.Url, StringComparison.Ordinal);
        var states = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!.Select(p => p!["status"]!.GetValue<string>()).ToList();
        Assert.Equal(["paused", "paused", "paused"], states);

        // The participants: six people, three pages; the last page has the last two; 25 a page shows all six on one.
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/participants?size=2"));
        await SubmitAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "Last page" }).ClickAsync(), url => url.Contains("page=3", StringComparison.Ordinal));
        Assert.Equal("Rows 5–6 of 6 (page 3 of 3)", (await page.Locator("nav.pager p").InnerTextAsync()).Trim());
        Assert.Equal(2, await page.Locator("tbody tr").CountAsync());
        await CheckAsync(page, "participants-paged");
        await page.GetByLabel("Rows per page", new() { Exact = true }).SelectOptionAsync("25");
        await SubmitAsync(page, () => ClickAsync(page, "Filter"), url => url.Contains("size=25", StringComparison.Ordinal));
        Assert.Equal(6, await page.Locator("tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator("nav.pager").CountAsync());
        // At a desktop width no word of a table is broken across two lines (the participants table showed "mento r" and
        // "Anesthesiolog y"): a table wider than its page scrolls in its own region instead.
        Assert.Empty(await BrokenWordsAsync(page));
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/pairs"));
        Assert.Empty(await BrokenWordsAsync(page));

        // The audit trail: newest first across pages; the three pauses lead page 1.
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/audit?size=2"));
        var newest = await page.Locator("tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, newest.Count);
        Assert.All(newest, row => Assert.Contains("paused the pair", row, StringComparison.Ordinal));
        Assert.StartsWith("Rows 1–2 of ", (await page.Locator("nav.pager p").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        await CheckAsync(page, "audit-paged");

        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }

    /// <summary>The words of the tables in scrolling regions whose letters the browser laid out on more than one line.</summary>
    private static Task<string[]> BrokenWordsAsync(IPage page) => page.EvaluateAsync<string[]>("""
        () => {
          const broken = [];
          for (const cell of document.querySelectorAll('.scroll td, .scroll th')) {
            const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = texts.nextNode(); node; node = texts.nextNode()) {
              for (const word of node.data.matchAll(/\S+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(word[0]);
              }
            }
          }
          return broken;
        }
        """);

}
