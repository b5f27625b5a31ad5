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
        var counter = app.App.Services.GetRequiredService<CosmosConnection>().Counter;
        var email = Api.UniqueEmail("known");
        async Task<(HttpStatusCode, long, long, long)> RegisterAsync()
        {
            var before = counter.Snapshot();
            using var response = await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email));
            var after = counter.Snapshot();
            return (response.StatusCode, after.Reads - before.Reads, after.Writes - before.Writes, after.Queries - before.Queries);
        }

        var fresh = await RegisterAsync();
        var known = await RegisterAsync();

        Assert.Equal(HttpStatusCode.Accepted, fresh.Item1);
        Assert.Equal(fresh, known);
        Assert.Equal(1, app.App.Services.GetRequiredService<RegisteredAgainQueue>().Reader.Count); // the owner's notice, queued
    }
}
