using System.Collections.Concurrent;
using System.Globalization;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

/// <summary>A newcomer's first start: the app on an empty database and task hub logs no failure and no stack trace.</summary>
public class FreshStartTests
{
    [Fact]
    public async Task A_fresh_start_on_an_empty_database_logs_no_fail_line_and_no_stack_trace()
    {
        var stack = await LocalStack.GetAsync();
        var port = LocalStack.FreePort();
        var lines = new ConcurrentQueue<string>();
        using var process = ChildApp.Start("serve", stack, $"mentorflow-fresh-{Guid.NewGuid():N}"[..26],
            new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture) },
            lines.Enqueue);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await ChildApp.WaitUntilLiveAsync(process, client), string.Join('\n', lines));
            using var ready = await client.GetAsync("/healthz");
            var engine = await ChildApp.WaitForEngineAsync(process, lines);
            await Task.Delay(TimeSpan.FromSeconds(3)); // the engine's first looks at its queues

            Assert.True(ready.IsSuccessStatusCode, string.Join('\n', lines));
            Assert.DoesNotContain(lines, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            Assert.True(engine, string.Join('\n', lines));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
