using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;
using Xunit.Abstractions;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The scheduled job (`tick` verb) run as a child process against the real stack and killed with SIGKILL at random
/// moments, again and again, until the term is over: every email must still arrive, and duplicates are counted.
/// </summary>
public class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 20;

    [Fact]
    public async Task Killing_the_tick_process_twenty_times_at_random_moments_loses_no_email_and_ends_every_pair()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-crash-{Guid.NewGuid():N}"[..32];
        var time = FakeClockApp.Clock();
        await using var setup = new FakeClockApp(stack, time, new Dictionary<string, string?> { ["Cosmos:Database"] = database });
        var (cohortId, tag) = await Launch.CohortAsync(setup, pairs: 24, termMonths: 2);
        // Answer nothing: every pair gets every reminder and alert, the most email the term can send.
        var random = new Random(20271);
        var kills = 0;
        var runs = 0;
        // The child processes run on the development clock (the wall clock plus an offset), from the same start as the setup's clock.
        var offset = FakeClockApp.Start - DateTimeOffset.UtcNow;
        var killsHere = 0;
        var settled = false;
        for (; runs < 300; runs++)
        {
            var cohort = await setup.Admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");
            if (cohort!["status"]!.GetValue<string>() == "closed" && cohort["pendingMessages"]!.GetValue<int>() == 0)
            {
                break;
            }
            if (settled)
            {
                // The last run finished undisturbed: move the child's clock to the next due moment (or past the two-minute
                // lease of claims a killed sender left behind).
                var pairs = (await setup.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
                var childNow = DateTimeOffset.UtcNow + offset;
                var due = pairs.Where(p => p!["nextDueAt"] is not null).Select(p => p!["nextDueAt"]!.GetValue<DateTimeOffset>()).DefaultIfEmpty(childNow).Min();
                offset += due > childNow ? due - childNow + TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(3);
                settled = false;
                killsHere = 0;
            }
            // At each moment of the term, up to three runs are killed at random points before one is let finish.
            var kill = kills < Kills && killsHere < 3;
            await RunTickAsync(stack, database, offset, kill ? TimeSpan.FromMilliseconds(random.Next(400, 2500)) : null);
            kills += kill ? 1 : 0;
            killsHere += kill ? 1 : 0;
            settled = !kill;
        }
        var emails = (await stack.Inbox.AllAsync()).Where(e => e.To.Any(t => t.Address.Contains(tag, StringComparison.Ordinal))).ToList();
        var duplicates = emails.Count - emails.Select(e => e.MessageId).Distinct().Count();
        output.WriteLine($"crash test: {kills} kills in {runs} runs; {emails.Count} emails, {duplicates} duplicates (same Message-ID twice)");

        Assert.Equal(Kills, kills);
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
    }

    private static async Task RunTickAsync(LocalStack stack, string database, TimeSpan offset, TimeSpan? killAfter)
    {
        using var process = ChildApp.Start("tick", stack, database, new Dictionary<string, string>
        {
            ["MentorFlow__DevClock"] = "true",
            ["MentorFlow__DevClockOffset"] = offset.ToString("c", CultureInfo.InvariantCulture),
        });
        using var patience = new CancellationTokenSource(killAfter ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no claims handed back
            await process.WaitForExitAsync();
        }
    }
}
