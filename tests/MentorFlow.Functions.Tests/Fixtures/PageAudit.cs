using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>
/// What a browser test finds wrong with the pages it visits: axe-core's WCAG 2.1 A and AA violations and the browser's
/// Content-Security-Policy refusals, collected per test and asserted empty at its end; a screenshot of every page checked.
/// </summary>
public sealed class PageAudit(string prefix)
{
    // An email preview's sandboxed frame is the email, not the page: axe would wait for it forever, so frames are left out.
    private static readonly AxeRunOptions Wcag = new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, Iframes = false };

    public static readonly string ScreenshotDirectory = Path.Combine(LocalStack.RepoRoot(), "artifacts", "screenshots");

    public List<string> Violations { get; } = [];

    public List<string> Refused { get; } = [];

    /// <summary>How many pages were checked (a test asserts it visited what it meant to).</summary>
    public List<string> Checked { get; } = [];

    /// <summary>A new page whose Content-Security-Policy refusals are recorded.</summary>
    public async Task<IPage> WatchedPageAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                Refused.Add(message.Text);
            }
        };
        return page;
    }

    /// <summary>Keeps a screenshot as artifacts/screenshots/{prefix}-{name}.png and records axe's violations on the page.</summary>
    public async Task CheckAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{prefix}-{name}.png"), FullPage = true });
        var results = await page.RunAxe(Wcag);
        Checked.Add(name);
        Violations.AddRange(results.Violations.Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
    }
}
