using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

public class MatchingHttpTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.Admin;

    private static readonly string[] Aspects = ["clinical", "career", "research", "leadership", "education", "wellbeing", "navigation"];
    private static readonly string[] Zones = ["America/Chicago", "America/New_York", "America/Los_Angeles", "Europe/London"];

    private async Task<(string CohortId, List<string> Mentees, List<string> Mentors)> CohortWithPeopleAsync(int mentees, int mentors)
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var menteeIds = new List<string>();
        var mentorIds = new List<string>();
        for (var i = 0; i < mentees + mentors; i++)
        {
            var isMentor = i >= mentees;
            var body = isMentor ? Api.Mentor() : Api.Mentee();
            body["aspects"] = new JsonArray(Aspects[i % 7], Aspects[(i + 1 + i % 5) % 7]);
            body["timeZone"] = Zones[i % Zones.Length];
            body["institution"] = $"Hospital {i % 5}";
            body["specialty"] = i % 3 == 0 ? "Pain Medicine" : "Anesthesiology";
            body["lastName"] = $"Person{i}";
            if (isMentor)
            {
                body["capacity"] = 1 + i % 2;
            }
            using var response = await fixture.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["participantId"]!.GetValue<string>();
            (isMentor ? mentorIds : menteeIds).Add(id);
        }
        await Api.ConfirmAllAsync(_admin, cohortId);
        return (cohortId, menteeIds, mentorIds);
    }

    [Fact]
    public async Task An_admin_computes_steers_reruns_and_approves_matching_for_forty_participants()
    {
        var (cohortId, mentees, mentors) = await CohortWithPeopleAsync(25, 15);

        using var first = await _admin.PostAsync($"/api/cohorts/{cohortId}/matching", null);
        var proposal = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var pairs = proposal["pairs"]!.AsArray();
        var quality = proposal["quality"]!;

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(1, proposal["version"]!.GetValue<int>());
        Assert.Equal("proposed", proposal["status"]!.GetValue<string>());
        Assert.Equal(25, quality["mentees"]!.GetValue<int>());
        Assert.Equal(15, quality["mentors"]!.GetValue<int>());
        Assert.True(quality["matchedMentees"]!.GetValue<int>() >= 20);
        Assert.Equal(pairs.Count, quality["mentorCapacityUsed"]!.GetValue<int>());
        Assert.Equal(25 - quality["matchedMentees"]!.GetValue<int>(), proposal["unmatched"]!.AsArray().Count);
        Assert.All(pairs, p => Assert.NotEmpty(p!["reasons"]!.AsArray()));
        Assert.All(proposal["unmatched"]!.AsArray(), u => Assert.NotEmpty(u!["reasons"]!.AsArray()));

        // Pin the first mentee to a mentor they did not get, forbid one pair that was proposed, remove one mentee.
        var firstMentee = mentees[0];
        var notTheirs = mentors.First(m => !pairs.Any(p => p!["menteeId"]!.GetValue<string>() == firstMentee && p["mentorId"]!.GetValue<string>() == m));
        var forbidden = pairs.First(p => p!["menteeId"]!.GetValue<string>() != firstMentee)!;
        using var pin = await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/pins", new { menteeId = firstMentee, mentorId = notTheirs });
        using var forbid = await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/forbids",
            new { menteeId = forbidden["menteeId"]!.GetValue<string>(), mentorId = forbidden["mentorId"]!.GetValue<string>() });
        using var remove = await _admin.PostAsync($"/api/cohorts/{cohortId}/participants/{mentees[^1]}/remove", null);
        using var rerun = await _admin.PostAsync($"/api/cohorts/{cohortId}/matching", null);
        var second = (await rerun.Content.ReadFromJsonAsync<JsonObject>())!;
        var secondPairs = second["pairs"]!.AsArray();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { pin.StatusCode, forbid.StatusCode, remove.StatusCode });
        Assert.Equal(2, second["version"]!.GetValue<int>());
        Assert.Contains(secondPairs, p => p!["menteeId"]!.GetValue<string>() == firstMentee && p["mentorId"]!.GetValue<string>() == notTheirs && p["pinned"]!.GetValue<bool>());
        Assert.DoesNotContain(secondPairs, p => p!["menteeId"]!.GetValue<string>() == forbidden["menteeId"]!.GetValue<string>()
            && p["mentorId"]!.GetValue<string>() == forbidden["mentorId"]!.GetValue<string>());
        Assert.DoesNotContain(secondPairs, p => p!["menteeId"]!.GetValue<string>() == mentees[^1]);
        Assert.Equal(24, second["quality"]!["mentees"]!.GetValue<int>());

        // Approval needs intake closed, and only the latest proposal can be approved.
        using var early = await _admin.PostAsync($"/api/cohorts/{cohortId}/matching/approve", null);
        using var close = await _admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null);
        using var stale = await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/approve", new { version = 1 });
        using var approve = await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/approve", new { version = 2 });
        var cohort = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}");
        var current = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/matching");
        using var afterApproval = await _admin.PostAsync($"/api/cohorts/{cohortId}/matching", null);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal("matched", cohort!["status"]!.GetValue<string>());
        Assert.Equal(2, cohort["approvedProposal"]!.GetValue<int>());
        Assert.Equal("approved", current!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, afterApproval.StatusCode);
    }

    [Fact]
    public async Task Pins_and_forbids_name_the_bad_field_and_matching_of_an_unknown_cohort_is_404()
    {
        var (cohortId, mentees, mentors) = await CohortWithPeopleAsync(1, 1);

        using var unknownMentee = await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/pins", new { menteeId = "p-nobody", mentorId = mentors[0] });
        using var swapped = await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/forbids", new { menteeId = mentors[0], mentorId = mentees[0] });
        using var missing = await _admin.GetAsync($"/api/cohorts/{cohortId}/matching");
        using var unknownCohort = await _admin.PostAsync("/api/cohorts/nope/matching", null);

        Assert.Equal(["menteeId"], Api.ErrorFields(await Api.ProblemAsync(unknownMentee)));
        Assert.Equal(["menteeId", "mentorId"], Api.ErrorFields(await Api.ProblemAsync(swapped)).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownCohort.StatusCode);
    }

    [Fact]
    public async Task A_pin_a_forbid_and_a_removal_can_each_be_taken_back_and_the_next_run_sees_it()
    {
        var (cohortId, mentees, mentors) = await CohortWithPeopleAsync(1, 2);

        (await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/pins", new { menteeId = mentees[0], mentorId = mentors[0] })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/matching/forbids", new { menteeId = mentees[0], mentorId = mentors[1] })).EnsureSuccessStatusCode();
        using var unpinned = await _admin.DeleteAsync($"/api/cohorts/{cohortId}/matching/steering/{mentees[0]}/{mentors[0]}");
        var afterUnpin = (await unpinned.Content.ReadFromJsonAsync<JsonObject>())!;
        using var unforbidden = await _admin.DeleteAsync($"/api/cohorts/{cohortId}/matching/steering/{mentees[0]}/{mentors[1]}");
        var afterUnforbid = (await unforbidden.Content.ReadFromJsonAsync<JsonObject>())!;
        (await _admin.PostAsync($"/api/cohorts/{cohortId}/participants/{mentors[0]}/remove", null)).EnsureSuccessStatusCode();
        using var notRemoved = await _admin.PostAsync($"/api/cohorts/{cohortId}/participants/{mentors[1]}/restore", null);
        using var restored = await _admin.PostAsync($"/api/cohorts/{cohortId}/participants/{mentors[0]}/restore", null);
        var person = (await restored.Content.ReadFromJsonAsync<JsonObject>())!;
        using var run = await _admin.PostAsync($"/api/cohorts/{cohortId}/matching", null);
        var proposal = (await run.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal((HttpStatusCode.OK, 0, 1), (unpinned.StatusCode, afterUnpin["pins"]!.AsArray().Count, afterUnpin["forbids"]!.AsArray().Count));
        Assert.Equal((HttpStatusCode.OK, 0), (unforbidden.StatusCode, afterUnforbid["forbids"]!.AsArray().Count));
        Assert.Equal(HttpStatusCode.Conflict, notRemoved.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "registered"), (restored.StatusCode, person["status"]!.GetValue<string>()));
        Assert.Equal(2, proposal["quality"]!["mentors"]!.GetValue<int>()); // both mentors are in the pool again
    }
}
