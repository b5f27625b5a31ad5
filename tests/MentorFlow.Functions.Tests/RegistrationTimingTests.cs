using System.Net;
using System.Net.Http.Json;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using MentorFlow.Functions.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MentorFlow.Functions.Tests;

/// <summary>The intake form tells nobody whether an address is registered: not in its answer, and not in the work (so the time) a request takes.</summary>
public class RegistrationTimingTests
{
    [Fact]
    public async Task Registering_a_known_address_does_the_same_store_work_in_the_request_as_a_new_one_and_leaves_the_notice_to_the_background()
    {
        var time = FakeClockApp.Clock();
        // The background worker left out, so that only the request's own work is counted.
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), time, services: s =>
        {
            foreach (var worker in s.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(RegisteredAgainWorker)).ToList())
            {
                s.Remove(worker);
            }
        });
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: time.GetUtcNow());
        (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(Api.UniqueEmail("warm-up")))).EnsureSuccessStatusCode();
        await app.TickAsync(); // the cohort's orchestration settled before anything is counted
        var counter = app.App.Services.GetRequiredService<CosmosConnection>().Counter;
        async Task<(HttpStatusCode, long, long, long)> RegisterAsync(string email)
        {
            var before = counter.Snapshot();
            using var response = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email));
            var after = counter.Snapshot();
            return (response.StatusCode, after.Reads - before.Reads, after.Writes - before.Writes, after.Queries - before.Queries);
        }

        // The counter is the app's: work in the background (the engine, the store's own reads) can land in a request's
        // window, and it only ever adds. So each kind of request is measured three times and its least count is its own
        // work: an extra operation the known address's request always does still shows.
        const int Times = 3;
        var known = Api.UniqueEmail("known");
        var freshCounts = new List<(HttpStatusCode, long, long, long)>();
        var knownCounts = new List<(HttpStatusCode, long, long, long)>();
        for (var i = 0; i < Times; i++)
        {
            freshCounts.Add(await RegisterAsync(i == 0 ? known : Api.UniqueEmail("fresh")));
        }
        for (var i = 0; i < Times; i++)
        {
            knownCounts.Add(await RegisterAsync(known));
        }
        static (HttpStatusCode, long, long, long) Least(List<(HttpStatusCode Status, long, long, long)> counts) =>
            (Assert.Single(counts.Select(c => c.Status).Distinct()), counts.Min(c => c.Item2), counts.Min(c => c.Item3), counts.Min(c => c.Item4));
        var fresh = Least(freshCounts);
        var again = Least(knownCounts);

        Assert.Equal(HttpStatusCode.Accepted, fresh.Item1);
        Assert.Equal(fresh, again);
        Assert.Equal(Times, app.App.Services.GetRequiredService<RegisteredAgainQueue>().Reader.Count); // the owner's notices, queued
    }
}
