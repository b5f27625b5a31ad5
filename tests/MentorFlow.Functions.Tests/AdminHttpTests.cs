using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

public class AdminHttpTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.Admin;

    [Theory]
    [InlineData("GET", "/api/cohorts")]
    [InlineData("POST", "/api/cohorts")]
    [InlineData("GET", "/api/cohorts/any")]
    [InlineData("POST", "/api/cohorts/any/intake/open")]
    [InlineData("GET", "/api/cohorts/any/participants")]
    [InlineData("PUT", "/api/cohorts/any")]
    public async Task Admin_routes_answer_401_without_a_key_and_403_with_a_wrong_one(string method, string path)
    {
        using var none = await fixture.Public.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var wrongRequest = new HttpRequestMessage(new HttpMethod(method), path);
        wrongRequest.Headers.Add("X-Admin-Key", "not-the-key-at-all");
        using var wrong = await fixture.Public.SendAsync(wrongRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        await Api.ProblemAsync(none);
    }

    [Fact]
    public async Task Given_a_new_cohort_When_created_Then_it_is_a_draft_with_defaults_links_and_is_listed()
    {
        using var response = await _admin.PostAsJsonAsync("/api/cohorts", Api.CohortBody("Listed cohort"));
        var cohort = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = cohort["id"]!.GetValue<string>();
        var list = await _admin.GetFromJsonAsync<JsonArray>("/api/cohorts");
        var read = await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{id}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/cohorts/{id}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("listed-cohort-", id);
        Assert.Equal("draft", cohort["status"]!.GetValue<string>());
        Assert.Equal(9, cohort["termMonths"]!.GetValue<int>());
        Assert.Equal(21, cohort["introLeadDays"]!.GetValue<int>());
        Assert.Equal($"http://mentorflow.test/cohorts/{id}/join", cohort["joinUrl"]!.GetValue<string>());
        Assert.Contains(list!, c => c!["id"]!.GetValue<string>() == id);
        Assert.Equal("Listed cohort", read!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Given_an_open_cohort_When_its_settings_change_Then_bad_fields_are_named_and_kept_out_good_ones_apply_and_after_intake_closes_409()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var bad = Api.CohortBody("Renamed");
        bad["termMonths"] = 40;
        var good = Api.CohortBody("Renamed");
        good["mentorsPerMentee"] = 2;

        using var refused = await _admin.PutAsJsonAsync($"/api/cohorts/{cohortId}", bad);
        var afterRefusal = (await _admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!;
        using var changed = await _admin.PutAsJsonAsync($"/api/cohorts/{cohortId}", good);
        (await _admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null)).EnsureSuccessStatusCode();
        using var late = await _admin.PutAsJsonAsync($"/api/cohorts/{cohortId}", good);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["termMonths"], Api.ErrorFields(await Api.ProblemAsync(refused)));
        Assert.Equal("Test cohort", afterRefusal["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var body = (await changed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("Renamed", 2, "intakeOpen"), (body["name"]!.GetValue<string>(), body["mentorsPerMentee"]!.GetValue<int>(), body["status"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task Given_a_cohort_with_bad_fields_When_created_Then_400_names_each_and_nothing_is_stored()
    {
        var before = (await _admin.GetFromJsonAsync<JsonArray>("/api/cohorts"))!.Count;
        var body = Api.CohortBody("Broken");
        body["termMonths"] = 99;
        body["geography"] = "nearby";
        body["nationalMeeting"]!["timeZone"] = "Moon/Base";

        using var response = await _admin.PostAsJsonAsync("/api/cohorts", body);
        var after = (await _admin.GetFromJsonAsync<JsonArray>("/api/cohorts"))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["geography", "nationalMeeting.timeZone", "termMonths"], Api.ErrorFields(await Api.ProblemAsync(response)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(after, c => c!["name"]!.GetValue<string>() == "Broken");
        Assert.True(after.Count >= before);
    }

    [Fact]
    public async Task Given_an_open_cohort_When_intake_is_opened_again_Then_409_and_after_closing_it_reopens()
    {
        var id = await Api.CreateCohortAsync(_admin);

        using var again = await _admin.PostAsync($"/api/cohorts/{id}/intake/open", null);
        using var close = await _admin.PostAsync($"/api/cohorts/{id}/intake/close", null);
        using var closeAgain = await _admin.PostAsync($"/api/cohorts/{id}/intake/close", null);
        using var reopen = await _admin.PostAsync($"/api/cohorts/{id}/intake/open", null);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, closeAgain.StatusCode);
        Assert.Equal("intakeOpen", (await reopen.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_cohorts_are_404_problems()
    {
        using var read = await _admin.GetAsync("/api/cohorts/nope");
        using var open = await _admin.PostAsync("/api/cohorts/nope/intake/open", null);
        using var participants = await _admin.GetAsync("/api/cohorts/nope/participants");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { read.StatusCode, open.StatusCode, participants.StatusCode });
        await Api.ProblemAsync(read);
    }

    [Fact]
    public async Task Health_reports_a_reachable_store()
    {
        var health = await fixture.Public.GetFromJsonAsync<JsonObject>("/healthz");

        Assert.Equal("healthy", health!["status"]!.GetValue<string>());
    }
}
