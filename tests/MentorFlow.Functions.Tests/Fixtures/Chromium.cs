using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>Debian's Chromium (installed by ./mentorflow test), headless, without the background traffic a test does not need.</summary>
public static class Chromium
{
    private static readonly string[] Flags =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = Flags });
}
