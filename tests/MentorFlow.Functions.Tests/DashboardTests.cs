using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The dashboard's line on the emails still to go: every one waiting is counted, and none once sent.</summary>
public partial class DashboardTests
{
    [Fact]
    public async Task The_dashboard_counts_each_registrations_waiting_confirmation_and_none_once_the_outbox_has_sent_them()
    {
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), FakeClockApp.Clock()); // its outbox runs only when told
        var cohortId = await Api.CreateCohortAsync(app.Admin, today: app.Time.GetUtcNow());
        using var console = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var signedIn = await ConsoleForms.SignInAsync(console, MentorFlowApp.AdminKey);
        async Task<int> WaitingAsync() => int.Parse(Waiting().Match(await console.GetStringAsync($"/console/cohorts/{cohortId}/dashboard")).Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);

        var none = await WaitingAsync();
        for (var i = 0; i < 3; i++)
        {
            (await app.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee())).EnsureSuccessStatusCode();
        }
        var three = await WaitingAsync();
        await app.App.Services.GetRequiredService<Email.Outbox>().SweepAsync(default);
        var sent = await WaitingAsync();

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal((0, 3, 0), (none, three, sent));
    }

    [GeneratedRegex(@"(\d+) emails waiting to be sent for this cohort")]
    private static partial Regex Waiting();
}
