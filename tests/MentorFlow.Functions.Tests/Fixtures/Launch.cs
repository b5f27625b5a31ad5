using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>A launched cohort through the public API: n mentees, n mentors (capacity 1), matched, approved, launched.</summary>
public static class Launch
{
    public static Task<(string CohortId, string Tag)> CohortAsync(FakeClockApp app, int pairs, int termMonths = 9, Func<string, Task>? beforeLaunch = null) =>
        CohortAsync(app.Admin, app.Public, pairs, termMonths, app.Time.GetUtcNow(), beforeLaunch);

    /// <summary>A cohort of <paramref name="pairs"/> launched pairs; <paramref name="beforeLaunch"/>: what the test does to it (by id) once it exists, before its intake opens.</summary>
    public static async Task<(string CohortId, string Tag)> CohortAsync(HttpClient admin, HttpClient anyone, int pairs, int termMonths = 9, DateTimeOffset? today = null,
        Func<string, Task>? beforeLaunch = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var body = Api.CohortBody("Launched cohort", today);
        body["termMonths"] = termMonths;
        body["adminEmails"] = new JsonArray($"admins.{tag}@launch.test");
        using var created = await admin.PostAsJsonAsync("/api/cohorts", body);
        created.EnsureSuccessStatusCode();
        var cohortId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        if (beforeLaunch is not null)
        {
            await beforeLaunch(cohortId);
        }
        (await admin.PostAsync($"/api/cohorts/{cohortId}/intake/open", null)).EnsureSuccessStatusCode();
        for (var i = 0; i < pairs; i++)
        {
            var mentee = Api.Mentee($"mentee{i:D2}.{tag}@launch.test");
            mentee["lastName"] = $"N{i:D2}";
            (await anyone.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentee)).EnsureSuccessStatusCode();
            var mentor = Api.Mentor($"mentor{i:D2}.{tag}@launch.test");
            mentor["capacity"] = 1;
            mentor["firstName"] = $"B{i}en{tag}";
            mentor["lastName"] = $"Okafor{i:D2}";
            mentor["institution"] = $"Teaching Hospital {i}";
            (await anyone.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", mentor)).EnsureSuccessStatusCode();
        }
        await Api.ConfirmAllAsync(admin, cohortId);
        (await admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/cohorts/{cohortId}/matching", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/cohorts/{cohortId}/matching/approve", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/cohorts/{cohortId}/launch", null)).EnsureSuccessStatusCode();
        return (cohortId, tag);
    }
}
