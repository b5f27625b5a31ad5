using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>Passes of one process that overlap — the orchestrations' steps, the outbox's sweep, a dev clock's advance — send each message once.</summary>
public class OutboxRaceTests
{
    [Fact]
    public async Task Overlapping_ticks_and_sweeps_in_one_process_send_every_email_exactly_once()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time);
        var (cohortId, tag) = await Launch.CohortAsync(app, pairs: 12);
        var outbox = app.App.Services.GetRequiredService<Outbox>();

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(app.TickAsync(), outbox.SweepAsync(default), app.TickAsync(), outbox.SweepAsync(default),
                outbox.SweepAsync(default), app.TickAsync());
            await Task.WhenAll(outbox.SweepAsync(default), app.TickAsync(), outbox.SweepAsync(default));
            var next = (await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!.Min(p => p!["nextDueAt"]!.GetValue<DateTimeOffset>());
            time.SetUtcNow(next);
        }
        var emails = (await app.App.Stack.Inbox.AllAsync()).Where(e => e.To.Any(t => t.Address.Contains(tag, StringComparison.Ordinal))).ToList();

        Assert.Equal(24, emails.Count(e => e.Subject.Contains("meet your", StringComparison.Ordinal)));
        Assert.Equal(24, emails.Count(e => e.Subject.Contains("month 1 check-in", StringComparison.Ordinal) && !e.Subject.Contains("reminder", StringComparison.Ordinal)));
        Assert.Empty(emails.GroupBy(e => e.MessageId).Where(g => g.Count() > 1).Select(g => $"{g.Count()} × {g.First().Subject} to {g.First().To[0].Address}"));
    }
}
