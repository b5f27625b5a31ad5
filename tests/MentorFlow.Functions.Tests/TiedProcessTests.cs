using System.Diagnostics;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

/// <summary>The local servers the tests start die with the test host, even when it is killed rather than ending cleanly.</summary>
public class TiedProcessTests
{
    /// <summary>The second server ignores SIGTERM, as a server busy shutting down may for a while: the wrapper used to exit two
    /// seconds after asking, leaving it running.</summary>
    [Theory]
    [InlineData("setInterval(() => {}, 1000)")]
    [InlineData("setInterval(() => {}, 1000); process.on('SIGTERM', () => {})")]
    public async Task A_server_started_tied_to_a_process_stops_when_that_process_is_killed(string server)
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var marker = $"tied-{Guid.NewGuid():N}";
        using var tied = Process.Start(new ProcessStartInfo("node",
            $"\"{Path.Combine(LocalStack.RepoRoot(), "scripts", "tied-to-parent.js")}\" {parent.Id} node -e \"{server}\" {marker}")
        { UseShellExecute = false })!;
        await Task.Delay(500);
        Assert.True(Running(marker), "the server did not start");

        parent.Kill(); // SIGKILL: no exit hook of the parent runs
        await parent.WaitForExitAsync();
        await tied.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(Running(marker), "the server outlived the process it was tied to");
    }

    private static bool Running(string marker)
    {
        using var ps = Process.Start(new ProcessStartInfo("pgrep", $"-f -- \"-e setInterval.*{marker}\"") { UseShellExecute = false, RedirectStandardOutput = true })!;
        var output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        return output.Trim().Length > 0;
    }
}
