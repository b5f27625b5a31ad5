using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;
using Xunit.Abstractions;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The host that runs the orchestrations (`serve`, on the dev clock) as a child process against the real stack, killed with
/// SIGKILL at random moments while it works through a jump of its clock, again and again, until the term is over: every
/// pair must end, every email arrive, and duplicates are counted.
/// </summary>
public class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 10;

    [Fact]
    public async Task Killing_the_host_ten_times_at_random_moments_of_its_orchestrations_loses_no_email_and_ends_every_pair()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-crash-{Guid.NewGuid():N}"[..32];
        var time = FakeClockApp.Clock();
        // The setup only makes the cohort: the child hosts run its orchestrations (started by the first one's start-up).
        await using var setup = new FakeClockApp(stack, time, new Dictionary<string, string?> { ["Cosmos:Database"] = database, ["MentorFlow:RunWorkflow"] = "false" });
        var (cohortId, tag) = await Launch.CohortAsync(setup, pairs: 24, termMonths: 2);
        // Answer nothing: every pair gets every reminder and alert, the most email the term can send.
        var random = new Random(20271);
        var kills = 0;
        var runs = 0;
        // The child processes run on the development clock (the wall clock plus an offset), from the same start as the setup's clock.
        var offset = FakeClockApp.Start - DateTimeOffset.UtcNow;
        var killsHere = 0;
        var gaveUp = 0;
        for (; runs < 200; runs++)
        {
            var cohort = await setup.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");
            if (cohort!["status"]!.GetValue<string>() == "closed" && cohort["pendingMessages"]!.GetValue<int>() == 0)
            {
                break;
            }
            // Each run moves the child's clock to the next due moment (or past the two-minute lease of claims a killed sender
            // left behind); a killed run's jump is made again by the next run, from where the killed one started.
            var pairs = (await setup.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
            var childNow = DateTimeOffset.UtcNow + offset;
            var due = pairs.Where(p => p!["nextDueAt"] is not null).Select(p => p!["nextDueAt"]!.GetValue<DateTimeOffset>()).DefaultIfEmpty(childNow).Min();
            var jump = TimeSpan.FromSeconds(Math.Ceiling((due > childNow ? due - childNow + TimeSpan.FromSeconds(5) : TimeSpan.FromMinutes(3)).TotalSeconds));
            // At each moment of the term, up to three runs are killed at random points before one is let finish.
            var kill = kills < Kills && killsHere < 3;
            switch (await RunAsync(stack, database, offset, jump, kill ? TimeSpan.FromMilliseconds(random.Next(300, 3000)) : null))
            {
                case RunResult.Finished:
                    offset += jump;
                    killsHere = 0;
                    break;
                case RunResult.Killed:
                    kills++;
                    killsHere++;
                    break;
                default:
                    gaveUp++;
                    break;
            }
        }
        var emails = (await stack.Inbox.AllAsync()).Where(e => e.To.Any(t => t.Address.Contains(tag, StringComparison.Ordinal))).ToList();
        var duplicates = emails.Count - emails.Select(e => e.MessageId).Distinct().Count();
        var final = (await setup.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
        output.WriteLine($"crash test: {kills} kills in {runs} runs ({gaveUp} catch-ups gave up and were made again); {emails.Count} emails, {duplicates} duplicates (same Message-ID twice)");

        Assert.Equal(Kills, kills);
        Assert.All(final, p => Assert.Equal("completed", p!["status"]!.GetValue<string>()));
        Assert.Equal("closed", (await setup.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["status"]!.GetValue<string>());
        var distinct = emails.DistinctBy(e => e.MessageId).ToList();
        for (var i = 0; i < 24; i++)
        {
            var mine = distinct.Where(e => e.To.Any(t => t.Address == $"mentee{i:D2}.{tag}@launch.test")).Select(e => e.Subject).ToList();
            Assert.Single(mine, s => s.Contains("meet your", StringComparison.Ordinal));
            Assert.Equal(2, mine.Count(s => s.Contains(" check-in", StringComparison.Ordinal) && !s.Contains("reminder", StringComparison.Ordinal)));
            Assert.Equal(2, mine.Count(s => s.Contains("reminder — month", StringComparison.Ordinal)));
            Assert.Single(mine, s => s.EndsWith(": closing survey", StringComparison.Ordinal));
            Assert.Single(mine, s => s.EndsWith("reminder — closing survey", StringComparison.Ordinal));
        }
        Assert.Equal(24, distinct.Count(e => e.Subject.Contains("is at risk", StringComparison.Ordinal)));
        Assert.Single(distinct, e => e.Subject.Contains("outcome report", StringComparison.Ordinal));
        // No transition twice: each pair's history holds each month's check-in once.
        foreach (var pair in final)
        {
            var history = (await setup.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/pairs/{pair!["id"]!.GetValue<string>()}"))!["history"]!.AsArray()
                .Select(h => h!["summary"]!.GetValue<string>()).ToList();
            Assert.Equal(history.Count, history.Distinct().Count());
        }
    }

    private enum RunResult { Finished, Killed, GaveUp }

    /// <summary>Starts a host at the clock's offset and moves its clock by the jump: finished, killed first, or the catch-up gave up.</summary>
    private static async Task<RunResult> RunAsync(LocalStack stack, string database, TimeSpan offset, TimeSpan jump, TimeSpan? killAfter)
    {
        var port = LocalStack.FreePort();
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = ChildApp.Start("serve", stack, database, new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
            ["MentorFlow__DevClock"] = "true",
            ["MentorFlow__DevClockOffset"] = offset.ToString("c", CultureInfo.InvariantCulture),
            ["MentorFlow__RunOutbox"] = "false",
        }, log.Enqueue);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Add(Apis.AdminKeyFilter.Header, MentorFlowApp.AdminKey);
        try
        {
            if (!await ChildApp.WaitUntilLiveAsync(process, client))
            {
                throw new InvalidOperationException($"The host did not start:\n{string.Join('\n', log.TakeLast(40))}");
            }
            // The engine starts beside the app: the kills are meant for its orchestrations' work, not for its start.
            if (!await ChildApp.WaitForEngineAsync(process, log))
            {
                throw new InvalidOperationException($"The engine did not start:\n{string.Join('\n', log.TakeLast(40))}");
            }
            var advance = client.PostAsJsonAsync("/api/dev/clock", new { advance = $"PT{jump.TotalSeconds:0}S" });
            if (killAfter is { } after && await Task.WhenAny(advance, Task.Delay(after)) != advance)
            {
                return RunResult.Killed;
            }
            using var response = await advance;
            // A catch-up that gave up (a minute without any orchestration answering: a killed host's partitions still leased, the
            // store slow under the whole suite's load) moved nothing for good: the next run makes the same jump again.
            return response.IsSuccessStatusCode ? RunResult.Finished
                : response.StatusCode == System.Net.HttpStatusCode.InternalServerError && (await response.Content.ReadAsStringAsync()).Contains("went wrong", StringComparison.Ordinal) && log.Any(l => l.Contains("did not answer the wake-up", StringComparison.Ordinal))
                    ? RunResult.GaveUp
                    : throw new InvalidOperationException($"{response.StatusCode}: {string.Join('\n', log.TakeLast(40))}");
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no claims handed back
            await process.WaitForExitAsync();
        }
    }
}
