using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

public partial class IntakeHttpTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.Admin;
    private readonly HttpClient _public = fixture.Public;

    private Task<HttpResponseMessage> SubmitAsync(string cohortId, JsonNode body) =>
        _public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", body);

    [Fact]
    public async Task Given_open_cohort_When_twenty_people_register_and_confirm_from_their_email_Then_they_are_registered_and_each_gets_a_receipt()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var emails = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var email = Api.UniqueEmail(i % 2 == 0 ? "mentee" : "mentor");
            emails.Add(email);
            using var response = await SubmitAsync(cohortId, i % 2 == 0 ? Api.Mentee(email) : Api.Mentor(email));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.StartsWith("p-", body!["participantId"]!.GetValue<string>());
            Assert.Equal("checkYourEmail", body["status"]!.GetValue<string>());
        }
        var unconfirmed = await Api.ParticipantsAsync(_admin, cohortId);
        var confirmations = await fixture.Inbox.WaitForAsync(emails, 20);

        foreach (var confirmation in confirmations)
        {
            var link = new Uri(ConfirmLink().Match(confirmation.Text!).Groups[1].Value).PathAndQuery;
            using var page = await _public.GetAsync(link);
            Assert.Contains("Confirm my registration", await page.Content.ReadAsStringAsync());
            using var confirmed = await _public.PostAsync(link, null);
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        var all = await fixture.Inbox.WaitForAsync(emails, 40);
        var receipts = all.Where(r => r.Subject.Contains("you are registered as a", StringComparison.Ordinal)).ToList();

        Assert.All(unconfirmed, p => Assert.Equal("unconfirmed", p!["status"]!.GetValue<string>()));
        Assert.Equal(emails.Order(), unconfirmed.Select(p => p!["email"]!.GetValue<string>()).Order());
        Assert.All(confirmations, c => Assert.Contains("please confirm your registration", c.Subject));
        Assert.All(confirmations, c => Assert.DoesNotContain("Publish", c.Text)); // nothing the form said is echoed to an unconfirmed address
        // Not even the name (read without the links: a signed token is random letters, and "Ana" turns up in one now and then).
        static string Words(InboxEmail c) => System.Text.RegularExpressions.Regex.Replace(c.Html + c.Text, @"https?://[^\s""<]+", "") + c.To[0].Name;
        Assert.All(confirmations, c => Assert.DoesNotContain(Api.Mentee()["lastName"]!.GetValue<string>(), Words(c)));
        Assert.All(confirmations, c => Assert.DoesNotContain(Api.Mentee()["firstName"]!.GetValue<string>(), Words(c)));
        Assert.Equal(emails.Order(), receipts.Select(r => Assert.Single(r.To).Address).Order());
        Assert.All(receipts, r => Assert.Contains("/m/", r.Text)); // the manage link
        Assert.Equal(40, all.Select(r => r.MessageId).Distinct().Count());
        // The write that records a send follows the SMTP server's acceptance, so it may land just after the email does.
        var listed = await Api.ParticipantsAsync(_admin, cohortId);
        for (var wait = 0; wait < 50 && listed.Any(p => p!["emails"]!.AsArray().Any(e => e!["state"]!.GetValue<string>() != "sent")); wait++)
        {
            await Task.Delay(100);
            listed = await Api.ParticipantsAsync(_admin, cohortId);
        }
        Assert.All(listed, p => Assert.Equal("registered", p!["status"]!.GetValue<string>()));
        Assert.All(listed, p => Assert.Equal(["confirm:sent", "receipt:sent"],
            p!["emails"]!.AsArray().Select(e => $"{e!["kind"]!.GetValue<string>()}:{e["state"]!.GetValue<string>()}")));
    }

    [Fact]
    public async Task Given_more_registrations_than_one_page_of_results_When_listed_Then_every_one_is_there()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            for (var i = 0; i < 40; i++)
            {
                using var response = await SubmitAsync(cohortId, Api.Mentee());
                response.EnsureSuccessStatusCode();
            }
        }));

        Assert.Equal(160, (await Api.ParticipantsAsync(_admin, cohortId)).Count);
    }

    [Fact]
    public async Task Every_page_and_answer_carries_the_security_headers_and_the_pages_have_no_inline_script_or_style()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);

        using var page = await fixture.Public.GetAsync($"/cohorts/{cohortId}/join");
        using var api = await _admin.GetAsync($"/api/cohorts/{cohortId}");
        using var css = await fixture.Public.GetAsync("/assets/site.css");
        var html = await page.Content.ReadAsStringAsync();

        foreach (var response in new[] { page, api, css })
        {
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Given_a_cohort_with_a_contact_address_When_someone_registers_Then_the_receipt_replies_to_a_person_and_says_it_is_automated()
    {
        var body = Api.CohortBody("Contact cohort");
        body["contactEmail"] = "mentoring@society.test";
        using var created = await _admin.PostAsJsonAsync("/api/cohorts", body);
        var cohort = (await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        var cohortId = cohort["id"]!.GetValue<string>();
        (await _admin.PostAsync($"/api/cohorts/{cohortId}/intake/open", null)).EnsureSuccessStatusCode();
        var mentee = Api.Mentee();

        using var response = await SubmitAsync(cohortId, mentee);
        var receipt = Assert.Single(await fixture.Inbox.WaitForAsync([mentee["email"]!.GetValue<string>()], 1));

        Assert.Equal("mentoring@society.test", cohort["contactEmail"]!.GetValue<string>());
        Assert.Contains("Reply-To: Society of Testing mentoring program <mentoring@society.test>", await fixture.Inbox.SourceAsync(receipt.Id));
        Assert.Equal("auto-generated", receipt.Header("auto-submitted"));
    }

    [Fact]
    public async Task Given_goals_with_a_script_tag_When_registered_Then_the_receipt_shows_it_encoded_never_as_markup()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var mentee = Api.Mentee();
        mentee["goals"] = "<script>alert('pwned')</script> & more";

        using var response = await SubmitAsync(cohortId, mentee);
        await Api.ConfirmAllAsync(_admin, cohortId);
        var receipt = Assert.Single(await fixture.Inbox.WaitForAsync([mentee["email"]!.GetValue<string>()], 2), e => e.Subject.Contains("registered as a", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.DoesNotContain("<script>", receipt.Html);
        Assert.Contains("&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt; &amp; more", receipt.Html);
        Assert.Contains("<script>alert('pwned')</script> & more", receipt.Text);
    }

    [Theory]
    [InlineData("email", "\"not-an-email\"")]
    [InlineData("firstName", "\"\"")]
    [InlineData("careerStage", "\"late\"")]
    [InlineData("timeZone", "\"Mars/Base\"")]
    [InlineData("country", "\"USA\"")]
    [InlineData("aspects", "[\"cooking\"]")]
    [InlineData("capacity", "1")]
    [InlineData("consent", "false")]
    [InlineData("goals", "null")]
    [InlineData("practiceSetting", "\"hospital\"")]
    [InlineData("attendingNationalMeeting", "\"yes\"")]
    public async Task Given_open_cohort_When_a_field_is_bad_Then_400_names_it_and_nothing_is_stored(string field, string json)
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var mentee = Api.Mentee();
        mentee[field] = JsonNode.Parse(json);

        using var response = await SubmitAsync(cohortId, mentee);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, Api.ErrorFields(await Api.ProblemAsync(response)));
        Assert.Empty(await Api.ParticipantsAsync(_admin, cohortId));
    }

    public static TheoryData<string, string, string> HostileBodies => new()
    {
        { "malformed JSON", "application/json", "{\"role\": \"mentee\", " },
        { "not an object", "application/json", "[1,2,3]" },
        { "a bare string", "application/json", "\"mentee\"" },
        { "empty", "application/json", "" },
        { "wrong content type", "text/plain", "role=mentee" },
        { "xml", "application/xml", "<intake><role>mentee</role></intake>" },
        { "deep nesting", "application/json", new string('[', 5000) + new string(']', 5000) },
        { "huge number", "application/json", "{\"capacity\": 1e400}" },
        { "duplicate keys", "application/json", "{\"role\":\"mentee\",\"role\":\"mentor\"}" },
        { "unknown field", "application/json", "{\"isAdmin\": true}" },
        { "invalid UTF-8 form", "application/x-www-form-urlencoded", "firstName=%FF%FE" },
        { "null bytes", "application/json", "{\"firstName\": \"\\u0000\\u0001\"}" },
        { "prototype pollution", "application/json", "{\"__proto__\": {\"admin\": true}}" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Given_open_cohort_When_a_hostile_body_arrives_Then_it_gets_a_4xx_problem_and_nothing_is_stored(string what, string contentType, string body)
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        using var response = await _public.PostAsync($"/api/cohorts/{cohortId}/intake", content);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {(int)response.StatusCode}");
        if (contentType != "application/x-www-form-urlencoded" || response.StatusCode != HttpStatusCode.BadRequest)
        {
            await Api.ProblemAsync(response);
        }
        Assert.Empty(await Api.ParticipantsAsync(_admin, cohortId));
    }

    [Fact]
    public async Task Given_open_cohort_When_a_10_MB_body_arrives_Then_413_and_nothing_is_stored()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var mentee = Api.Mentee();
        mentee["goals"] = new string('x', 10 * 1024 * 1024);

        using var response = await SubmitAsync(cohortId, mentee);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Api.ProblemAsync(response);
        Assert.Empty(await Api.ParticipantsAsync(_admin, cohortId));
    }

    [Theory]
    [InlineData("firstName", "<script>alert(1)</script>")]
    [InlineData("lastName", "Smith\u0007\u0008")]
    [InlineData("institution", "Evil\u202Egnp.exe")]
    public async Task Given_open_cohort_When_names_carry_markup_or_control_characters_Then_400_names_the_field(string field, string value)
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var mentee = Api.Mentee();
        mentee[field] = value;

        using var response = await SubmitAsync(cohortId, mentee);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], Api.ErrorFields(await Api.ProblemAsync(response)));
        Assert.Empty(await Api.ParticipantsAsync(_admin, cohortId));
    }

    [Fact]
    public async Task Given_open_cohort_When_names_are_in_other_scripts_Then_they_are_stored_as_written()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var mentee = Api.Mentee();
        mentee["firstName"] = "Zoë 李";
        mentee["lastName"] = "Ødegård-محمد";

        using var response = await SubmitAsync(cohortId, mentee);
        var stored = Assert.Single(await Api.ParticipantsAsync(_admin, cohortId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Zoë 李", stored!["firstName"]!.GetValue<string>());
        Assert.Equal("Ødegård-محمد", stored["lastName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Given_a_registered_email_When_it_registers_again_in_any_case_Then_the_answer_is_identical_nothing_changes_and_the_owner_is_told()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var email = Api.UniqueEmail("twice");
        using var first = await SubmitAsync(cohortId, Api.Mentee(email));
        var firstBody = await first.Content.ReadAsStringAsync();
        await Api.ConfirmAllAsync(_admin, cohortId);
        var second = Api.Mentor(email.ToUpperInvariant());

        using var response = await SubmitAsync(cohortId, second);
        using var third = await SubmitAsync(cohortId, second);
        var stored = Assert.Single(await Api.ParticipantsAsync(_admin, cohortId));
        var owner = await fixture.Inbox.WaitForAsync([email], 3);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, response.StatusCode));
        // The same answer as for a new address (the address is echoed as typed; the id is the same for both spellings).
        Assert.Equal(firstBody, (await response.Content.ReadAsStringAsync()).Replace(email.ToUpperInvariant(), email, StringComparison.Ordinal));
        Assert.Equal("mentee", stored!["role"]!.GetValue<string>());
        Assert.Equal("registered", stored["status"]!.GetValue<string>());
        // confirm, receipt, and one "you are already registered" (with the manage link) however often the form is sent
        Assert.Equal(3, owner.Count);
        Assert.Contains("/m/", Assert.Single(owner, e => e.Subject.Contains("already registered", StringComparison.Ordinal)).Text);
    }

    [Fact]
    public async Task Given_closed_intake_When_someone_registers_Then_409()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        using var closed = await _admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null);

        using var response = await SubmitAsync(cohortId, Api.Mentee());

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("intakeClosed", (await Api.ProblemAsync(response))["detail"]!.GetValue<string>());
        Assert.Empty(await Api.ParticipantsAsync(_admin, cohortId));
    }

    [Fact]
    public async Task Given_registrations_coming_in_When_intake_closes_Then_the_very_next_registration_is_refused_and_not_stored()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        using var before = await SubmitAsync(cohortId, Api.Mentee()); // this instance now holds the open cohort for a second
        using var closed = await _admin.PostAsync($"/api/cohorts/{cohortId}/intake/close", null);

        using var after = await SubmitAsync(cohortId, Api.Mentor());

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.Conflict), (before.StatusCode, closed.StatusCode, after.StatusCode));
        Assert.Single(await Api.ParticipantsAsync(_admin, cohortId));
    }

    [Fact]
    public async Task Given_a_draft_cohort_When_someone_registers_Then_409()
    {
        var cohortId = await Api.CreateCohortAsync(_admin, open: false);

        using var response = await SubmitAsync(cohortId, Api.Mentee());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Theory]
    [InlineData("no-such-cohort")]
    [InlineData("..%2F..%2Fdbs")]
    [InlineData("UPPER")]
    public async Task Given_an_unknown_or_malformed_cohort_id_When_someone_registers_Then_404(string cohortId)
    {
        using var response = await SubmitAsync(cohortId, Api.Mentee());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Api.ProblemAsync(response);
    }

    [Fact]
    public async Task Given_an_intake_form_post_When_valid_Then_a_confirmation_page_and_a_stored_participant()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        var email = Api.UniqueEmail("form");
        using var form = new FormUrlEncodedContent(new[]
        {
            KeyValuePair.Create("role", "mentor"), KeyValuePair.Create("firstName", "Chidi"), KeyValuePair.Create("lastName", "Anagonye"),
            KeyValuePair.Create("email", email), KeyValuePair.Create("careerStage", "mid"), KeyValuePair.Create("specialty", "Anesthesiology"),
            KeyValuePair.Create("practiceSetting", "community"), KeyValuePair.Create("institution", "St. Olaf"),
            KeyValuePair.Create("city", "Sydney"), KeyValuePair.Create("region", "NSW"), KeyValuePair.Create("country", "au"),
            KeyValuePair.Create("timeZone", "Australia/Sydney"), KeyValuePair.Create("aspects", "leadership"),
            KeyValuePair.Create("aspects", "career"), KeyValuePair.Create("aspects", "leadership"),
            KeyValuePair.Create("attendingNationalMeeting", "false"), KeyValuePair.Create("capacity", "3"),
            KeyValuePair.Create("goals", "Help a junior colleague grow."), KeyValuePair.Create("avoid", "Dr. Who\nMetro General"),
            KeyValuePair.Create("consent", "true"),
        });

        using var response = await _public.PostAsync($"/api/cohorts/{cohortId}/intake", form);
        var stored = Assert.Single(await Api.ParticipantsAsync(_admin, cohortId))!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Please check your email", await response.Content.ReadAsStringAsync());
        Assert.Equal(["leadership", "career"], stored["aspects"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["Dr. Who", "Metro General"], stored["avoid"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(("AU", 3), (stored["country"]!.GetValue<string>(), stored["capacity"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Given_an_intake_form_post_When_fields_are_missing_Then_the_form_comes_back_with_each_error_and_the_answers_kept()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);
        using var form = new FormUrlEncodedContent(new[] { KeyValuePair.Create("firstName", "Kept <value>"), KeyValuePair.Create("email", "nope") });

        using var response = await _public.PostAsync($"/api/cohorts/{cohortId}/intake", form);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("href=\"#email\"", html);
        Assert.Contains("href=\"#consent\"", html);
        Assert.Contains("value=\"Kept &lt;value&gt;\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Empty(await Api.ParticipantsAsync(_admin, cohortId));
    }

    [Fact]
    public async Task Given_an_open_cohort_When_its_join_page_is_read_Then_it_is_an_accessible_form_and_unknown_cohorts_are_404()
    {
        var cohortId = await Api.CreateCohortAsync(_admin);

        using var page = await _public.GetAsync($"/cohorts/{cohortId}/join");
        using var missing = await _public.GetAsync("/cohorts/nope/join");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html lang=\"en\">", html);
        foreach (var field in new[] { "firstName", "lastName", "email", "careerStage", "specialty", "institution", "timeZone", "goals", "consent" })
        {
            Assert.Contains($"for=\"{field}\"", html);
            Assert.Contains($"id=\"{field}\"", html);
        }
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(http\S+/c/\S+)")]
    private static partial System.Text.RegularExpressions.Regex ConfirmLink();
}
