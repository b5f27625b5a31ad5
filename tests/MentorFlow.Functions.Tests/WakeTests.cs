using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The deployment's wake-up document: an idle tick is one point read; whatever schedules work earlier wakes the next tick.</summary>
public class WakeTests
{
    [Fact]
    public async Task An_idle_tick_costs_one_point_read_and_nothing_else_and_a_request_or_the_clock_wakes_the_next_one()
    {
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), FakeClockApp.Clock());
        var (cohortId, _) = await Launch.CohortAsync(app, pairs: 2);
        var counter = app.App.Services.GetRequiredService<CosmosConnection>().Counter;
        var ticks = new List<Workflow.TickSummary>();
        // The launch's work first (introductions); then the ticks find nothing due.
        for (var i = 0; i < 5 && (ticks.Count == 0 || !ticks[^1].Idle); i++)
        {
            ticks.Add(await app.Dispatcher.TickAsync(receipts: true, default));
        }

        var before = counter.Snapshot();
        var idle = await app.Dispatcher.TickAsync(receipts: true, default);
        var after = counter.Snapshot();

        Assert.True(ticks[0].EmailsSent > 0); // the introductions went out in a full tick
        Assert.True(idle.Idle);
        Assert.Equal((1L, 0L, 0L, 0L), (after.Reads - before.Reads, after.Writes - before.Writes, after.Queries - before.Queries, after.Feeds - before.Feeds));

        // However far off the next due time, a full tick runs within WakeAtLeastEvery (an hour); with nothing due it costs
        // the wake-up document's read and two writes (the mark, the end), the directory and the cohort, and the cohort's five
        // queries (due pairs, anything still scheduled, pairs and participants with emails, the pairs' due times).
        app.Time.Advance(TimeSpan.FromMinutes(61));
        var hourlyBefore = counter.Snapshot();
        var hourly = await app.Dispatcher.TickAsync(receipts: true, default);
        var hourlyAfter = counter.Snapshot();

        Assert.False(hourly.Idle);
        Assert.Equal((0, 0), (hourly.Transitions, hourly.EmailsSent));
        Assert.Equal((3L, 2L, 5L, 0L), (hourlyAfter.Reads - hourlyBefore.Reads, hourlyAfter.Writes - hourlyBefore.Writes,
            hourlyAfter.Queries - hourlyBefore.Queries, hourlyAfter.Feeds - hourlyBefore.Feeds));

        // An admin has the pair's last email sent again: it is owed now, so the next tick is a full one and sends it.
        var pairs = await app.Admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs");
        var pairId = pairs![0]!["id"]!.GetValue<string>();
        (await app.Admin.PostAsync($"/api/cohorts/{cohortId}/pairs/{pairId}/resend", null)).EnsureSuccessStatusCode();
        var woken = await app.Dispatcher.TickAsync(receipts: true, default);
        var idleAgain = await app.Dispatcher.TickAsync(receipts: true, default);

        Assert.False(woken.Idle);
        Assert.Equal(2, woken.EmailsSent); // the last email went to each of the two, one email each
        Assert.True(idleAgain.Idle);

        // The clock reaching the next due time wakes it too: the first check-ins go out.
        app.Time.Advance(TimeSpan.FromDays(60));
        var due = await app.Dispatcher.TickAsync(receipts: true, default);

        Assert.False(due.Idle);
        Assert.True(due.Transitions > 0);
    }

    [Fact]
    public async Task However_far_off_the_next_due_time_a_full_tick_runs_at_least_every_WakeAtLeastEvery()
    {
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), FakeClockApp.Clock(),
            new Dictionary<string, string?> { ["MentorFlow:WakeAtLeastEvery"] = "00:20:00" });
        await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        var first = await app.Dispatcher.TickAsync(receipts: true, default);
        var soon = await app.Dispatcher.TickAsync(receipts: true, default);
        app.Time.Advance(TimeSpan.FromMinutes(21));
        var later = await app.Dispatcher.TickAsync(receipts: true, default);

        Assert.False(first.Idle);
        Assert.True(soon.Idle);
        Assert.False(later.Idle);
    }

    [Fact]
    public async Task With_the_quota_spent_a_burst_of_registrations_costs_the_sender_one_point_read_a_pass_and_the_next_minute_sends_the_rest()
    {
        var time = FakeClockApp.Clock();
        // The whole quota open to registration emails: this is about what a pass costs, not about their share.
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time,
            new Dictionary<string, string?> { ["MentorFlow:EmailsPerMinute"] = "2", ["MentorFlow:RegistrationShare"] = "1" });
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: time.GetUtcNow());
        var emails = Enumerable.Range(0, 3).Select(i => Api.UniqueEmail($"burst{i}")).ToList();
        foreach (var email in emails)
        {
            using var response = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email));
            response.EnsureSuccessStatusCode();
        }
        var outbox = app.App.Services.GetRequiredService<Email.Outbox>();
        var counter = app.App.Services.GetRequiredService<CosmosConnection>().Counter;

        var first = await outbox.SendCohortAsync(cohortId, default);
        var before = counter.Snapshot();
        var spent = await outbox.SendCohortAsync(cohortId, default);
        var sweep = await outbox.SweepAsync(default);
        var after = counter.Snapshot();
        time.Advance(TimeSpan.FromMinutes(1));
        var nextMinute = await outbox.SweepAsync(default);
        var confirmations = await app.App.Stack.Inbox.WaitForAsync(emails, 3);

        Assert.Equal(2, first.Sent);
        Assert.Equal((0, 0), (spent.Sent, sweep.Sent));
        // Two passes with nothing to spend: the sending ledger read once each, no query, nothing written.
        Assert.Equal((2L, 0L, 0L), (after.Reads - before.Reads, after.Writes - before.Writes, after.Queries - before.Queries));
        Assert.Equal(1, nextMinute.Sent);
        Assert.Equal(3, confirmations.Count);
    }

    [Fact]
    public async Task With_the_quota_spent_and_the_clock_still_fifty_signals_cost_the_outbox_worker_one_ledger_read_and_the_rest_wait()
    {
        var time = FakeClockApp.Clock();
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time,
            new Dictionary<string, string?> { ["MentorFlow:RunOutbox"] = "true", ["MentorFlow:EmailsPerMinute"] = "1" });
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: time.GetUtcNow());
        var email = Api.UniqueEmail("spent");
        using (var response = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email)))
        {
            response.EnsureSuccessStatusCode();
        }
        await app.App.Stack.Inbox.WaitForAsync([email], 1); // the worker sent the confirmation: the minute's quota is spent
        var outbox = app.App.Services.GetRequiredService<Email.Outbox>();
        var counter = app.App.Services.GetRequiredService<CosmosConnection>().Counter;
        // The worker done with that pass (its sent mark, the wake-up document): a second in which nothing reaches the store.
        var before = counter.Snapshot();
        for (int quiet = 0, looks = 0; quiet < 10 && looks < 200; looks++)
        {
            await Task.Delay(100);
            var now = counter.Snapshot();
            quiet = now == before ? quiet + 1 : 0;
            before = now;
        }

        for (var i = 0; i < 50; i++)
        {
            outbox.Notify(cohortId);
        }
        for (var wait = 0; wait < 500 && counter.Snapshot().Reads == before.Reads; wait++)
        {
            await Task.Delay(20);
        }
        var after = counter.Snapshot();

        // One signal taken, the ledger read once, no query; the worker waits for the clock and the other 49 signals wait for it.
        Assert.Equal((1L, 0L, 0L), (after.Reads - before.Reads, after.Writes - before.Writes, after.Queries - before.Queries));
        Assert.Equal(49, outbox.Wakeups.Count);
    }
}
