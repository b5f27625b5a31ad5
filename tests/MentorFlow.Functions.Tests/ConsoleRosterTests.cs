using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests;

public partial class ConsoleTests
{
    /// <summary>
    /// The roster in Chromium: an admin uploads a CSV file and reads the result per row, adds one person with the form (its errors
    /// first, in the form's order), corrects a registration, and — in a running cohort — pairs a mentee whose pair ended.
    /// </summary>
    [Fact]
    public async Task An_admin_imports_a_roster_file_adds_and_corrects_a_person_and_pairs_a_mentee_whose_pair_ended_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var openId = await Api.CreateCohortAsync(admin, today: fixture.Now);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = string.Join("\n",
            "role,firstName,lastName,email,careerStage,specialty,practiceSetting,institution,city,region,country,timeZone,aspects,attendingNationalMeeting,goals",
            $"mentee,Ivy,Imported,ivy.{tag}@members.test,trainee,Cardiology,academic,Mercy,Denver,CO,US,America/Denver,research,yes,Publish",
            $"mentee,Bad,Row,bad.{tag},trainee,Cardiology,academic,Mercy,Denver,CO,US,America/Denver,research,yes,Publish") + "\n";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);

        // Import: a file chosen in the page; the answer per row, the bad row naming its line and field.
        await page.GotoAsync(Url($"/console/cohorts/{openId}/participants"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Import people from a CSV" }).ClickAsync();
        await CheckAsync(page, "roster-import");
        await page.GetByLabel("CSV file", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "roster.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await ClickAsync(page, "Import");
        await page.WaitForSelectorAsync("text=1 added, 0 already registered, 1 with errors");
        var rows = await page.Locator("tbody tr").AllInnerTextsAsync();
        Assert.Contains("added", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("3", rows[1], StringComparison.Ordinal);
        Assert.Contains("Email", rows[1], StringComparison.Ordinal);
        await CheckAsync(page, "roster-imported");

        // Add one person: an empty form answers with its errors in the form's order; a full one adds them, unconfirmed.
        await page.GotoAsync(Url($"/console/cohorts/{openId}/participants"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a person" }).ClickAsync();
        await ClickAsync(page, "Add and send the confirmation email");
        await page.WaitForSelectorAsync("#errors");
        Assert.StartsWith("I am joining as a:", (await page.Locator("#errors li").AllInnerTextsAsync())[0], StringComparison.Ordinal);
        await CheckAsync(page, "person-add-errors");
        await new PersonOnForm("mentor", "Ada", "Added", $"ada.{tag}@members.test", "late", "Cardiology", "academic", "Mercy", "Denver", "CO", "US",
            "America/Denver", "research", "Give back.", Capacity: "1").FillAsync(page);
        await ClickAsync(page, "Add and send the confirmation email");
        await page.WaitForSelectorAsync("text=They get the confirmation email now");
        Assert.Equal("Ada Added", (await page.Locator("h1").InnerTextAsync()).Trim());

        // Correct the registration: the form comes prefilled; the change is saved.
        await page.GetByRole(AriaRole.Link, new() { Name = "Correct the registration" }).ClickAsync();
        Assert.Equal("Mercy", await page.GetByLabel("Institution *", new() { Exact = true }).InputValueAsync());
        await CheckAsync(page, "person-edit");
        await page.GetByLabel("Institution *", new() { Exact = true }).FillAsync("Denver Health");
        await ClickAsync(page, "Save the registration");
        await page.WaitForSelectorAsync("text=The registration is corrected.");
        var people = await Api.ParticipantsAsync(admin, openId);
        Assert.Equal("Denver Health", people.Single(p => p!["email"]!.GetValue<string>() == $"ada.{tag}@members.test")!["institution"]!.GetValue<string>());

        // The table's order: newest registration first puts the person just added on top.
        await page.GotoAsync(Url($"/console/cohorts/{openId}/participants"));
        await page.GetByLabel("Order", new() { Exact = true }).SelectOptionAsync("registered");
        await SubmitAsync(page, () => ClickAsync(page, "Filter"), url => url.Contains("sort=registered", StringComparison.Ordinal));
        Assert.Equal("Ada Added", (await page.Locator("tbody th a").First.InnerTextAsync()).Trim());

        // In a running cohort, a mentee whose pair ended is paired again from their page, with the mentor chosen.
        var (cohortId, _) = await Launch.CohortAsync(admin, anyone, pairs: 3, today: fixture.Now);
        var pairs = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))!;
        foreach (var pair in pairs.Take(2)) // the third stays live: a cohort whose every pair ended closes
        {
            (await admin.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/{pair!["id"]!.GetValue<string>()}/cancel", new { reason = "test" })).EnsureSuccessStatusCode();
        }
        var mentee = pairs[0]!["mentee"]!["participantId"]!.GetValue<string>();
        var otherMentor = pairs[2]!["mentor"]!; // a mentor with a live pair: an admin may name them (their room is the admin's call), and the board's mentor order then differs from the mentee order
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/participants/{mentee}"));
        await CheckAsync(page, "person-pair");
        await page.GetByLabel("Mentor", new() { Exact = true }).SelectOptionAsync(otherMentor["participantId"]!.GetValue<string>());
        await SubmitAsync(page, () => page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pair ") }).ClickAsync(),
            url => url.Contains("done=", StringComparison.Ordinal) || url.EndsWith("/pair", StringComparison.Ordinal));
        Assert.Contains("Paired: the pair's introduction goes out now.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(otherMentor["name"]!.GetValue<string>(), await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        // The pairs board in the mentors' order, kept by the search form.
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/pairs"));
        await page.GetByLabel("Order", new() { Exact = true }).SelectOptionAsync("mentor");
        await SubmitAsync(page, () => ClickAsync(page, "Search"), url => url.Contains("sort=mentor", StringComparison.Ordinal));
        var mentorsShown = (await page.Locator("tbody th a").AllInnerTextsAsync()).Select(t => t[(t.IndexOf(" with ", StringComparison.Ordinal) + 6)..]).ToList();
        Assert.Equal(4, mentorsShown.Count); // three launched pairs and the new one
        Assert.Equal(mentorsShown.Order(StringComparer.CurrentCulture), mentorsShown);
        await page.GetByLabel("Order", new() { Exact = true }).SelectOptionAsync("mentee");
        await SubmitAsync(page, () => ClickAsync(page, "Search"), url => url.Contains("sort=mentee", StringComparison.Ordinal));
        var byMentee = (await page.Locator("tbody th a").AllInnerTextsAsync()).Select(t => t[(t.IndexOf(" with ", StringComparison.Ordinal) + 6)..]).ToList();
        Assert.NotEqual(mentorsShown, byMentee); // the two orders differ here, so the mentor order is not the mentee order by chance

        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }
}

public partial class ConsoleTests
{
    /// <summary>
    /// The program page in Chromium and over HTTP: a running cohort among the others with its figures, its pairs in the
    /// breakdowns, and a survey comment (written into a pair here, as the survey route records one) in the comments table and the CSV.
    /// </summary>
    [Fact]
    public async Task The_program_page_compares_the_cohorts_and_lists_every_survey_comment_in_Chromium_and_as_CSV()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var (cohortId, tag) = await Launch.CohortAsync(admin, anyone, pairs: 2, today: fixture.Now, beforeLaunch: async id =>
            (await admin.PutAsJsonAsync($"/api/cohorts/{id}/survey/questions", new[] { new { label = "Advice for next year's pairs?", type = "text" } })).EnsureSuccessStatusCode());
        var store = fixture.App.Services.GetRequiredService<Store.CosmosStore>();
        var pairId = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!["id"]!.GetValue<string>();
        var document = (await store.ReadPairAsync(cohortId, pairId, CancellationToken.None))!;
        var comment = $"The meeting dinner was the best part {tag}";
        await store.ReplacePairAsync(document with { Pair = document.Pair with { Survey = new Dictionary<string, Shared.Pairing.SurveyAnswer>
        {
            [document.Pair.Mentee.ParticipantId] = new(5, "yes", true, true, false, comment) { Answers = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = ["Book the dinner early"] } },
        } } }, CancellationToken.None, previous: document);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);

        await page.GotoAsync(Url("/console"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare the cohorts: the program page" }).ClickAsync();
        await CheckAsync(page, "program");
        var row = await page.Locator("#program-cohorts tbody tr", new() { Has = page.Locator($"a[href=\"/console/cohorts/{cohortId}/dashboard\"]") }).InnerTextAsync();
        var comments = await page.Locator("#comments tbody").InnerTextAsync();
        var program = (await admin.GetFromJsonAsync<JsonObject>("/api/program"))!;
        var csv = await admin.GetStringAsync("/api/program/comments?format=csv");

        var figures = program["cohorts"]!.AsArray().Single(c => c!["cohortId"]!.GetValue<string>() == cohortId)!;
        Assert.Equal((2, 2, 1.0), (figures["mentees"]!.GetValue<int>(), figures["pairs"]!.GetValue<int>(), figures["matchedShare"]!.GetValue<double>()));
        Assert.Equal((5.0, 1.0, 1), (figures["meanSatisfaction"]!.GetValue<double>(), figures["goalsMetShare"]!.GetValue<double>(), figures["surveys"]!.GetValue<int>()));
        Assert.Contains("100 %", row, StringComparison.Ordinal); // every mentee matched
        Assert.Contains(comment, comments, StringComparison.Ordinal);
        Assert.Contains("the mentee", comments, StringComparison.Ordinal);
        Assert.Contains(program["bySpecialty"]!.AsArray(), g => g!["group"]!.GetValue<string>() == "Anesthesiology");
        Assert.Contains($"{cohortId},Launched cohort,{pairId},mentee,5,yes,{comment},Advice for next year's pairs?: Book the dinner early", csv, StringComparison.Ordinal);
        Assert.Contains("Advice for next year's pairs?\tBook the dinner early", comments.Replace("\n", "\t", StringComparison.Ordinal), StringComparison.Ordinal); // the cohort's own question beside the comment
        var fromJson = program["comments"]!.AsArray().Single(c => c!["pairId"]!.GetValue<string>() == pairId)!["answers"]!.AsArray().Single()!;
        Assert.Equal(("Advice for next year's pairs?", "Book the dinner early"), (fromJson["question"]!.GetValue<string>(), fromJson["answer"]!.GetValue<string>()));
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }
}

public partial class ConsoleTests
{
    /// <summary>The wording editor in Chromium: the fields the email may use beside it, and "send me a test" of an unsaved draft to an admin address.</summary>
    [Fact]
    public async Task The_wording_editor_lists_the_fields_and_sends_a_test_of_the_draft_to_an_admin_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin, today: fixture.Now);
        var marker = Guid.NewGuid().ToString("N")[..10];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);

        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/emails?kind=introduction"));
        await page.Locator("details.fields summary").ClickAsync();
        var fields = await page.Locator("#fields tbody th").AllInnerTextsAsync();
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync($"Draft {marker} for {{{{ mentee.name }}}}");
        await page.GetByLabel("Send the wording above, as the sample pair would get it, to", new() { Exact = true }).SelectOptionAsync("admins@society.test");
        await ClickAsync(page, "Send me a test");
        await page.WaitForSelectorAsync("text=is on its way to admins@society.test");
        await CheckAsync(page, "emails-test-sent");
        var received = (await fixture.App.Stack.Inbox.WaitForAsync(["admins@society.test"], e => e.Subject.Contains(marker, StringComparison.Ordinal), 1)).ToList();
        var templates = (await admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/templates"))!;
        // The confirmation's wording: it goes to an unconfirmed address, so a person's field is refused on the field that names it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Confirmation", Exact = true }).ClickAsync();
        var note = await page.Locator("#anonymous-note").InnerTextAsync();
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Hello {{ person.firstName }}, confirm for {{ cohort.name }}");
        await ClickAsync(page, "Save the wording");
        await page.WaitForSelectorAsync("#errors");
        var refusal = await page.Locator("#errors li").AllInnerTextsAsync();
        await CheckAsync(page, "emails-confirmation-refused");
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync($"Confirm {marker} for {{{{ cohort.name }}}}");
        await ClickAsync(page, "Save the wording");
        await page.WaitForSelectorAsync("text=Confirmation (changed)");
        var confirmation = (await admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}/templates"))!["confirmation"]!;

        Assert.Contains("names nobody", note, StringComparison.Ordinal);
        Assert.StartsWith("Subject: This email goes to an address nobody has confirmed yet", Assert.Single(refusal), StringComparison.Ordinal);
        Assert.Equal($"Confirm {marker} for {{{{ cohort.name }}}}", confirmation["subject"]!.GetValue<string>());
        Assert.True(confirmation["custom"]!.GetValue<bool>());
        Assert.Contains("cohort.meeting.city", fields);
        Assert.Contains("mentor.profile", fields);
        Assert.Equal($"[Test] Draft {marker} for Ana López", Assert.Single(received).Subject);
        Assert.Contains(marker, await page.GetByLabel("Subject", new() { Exact = true }).InputValueAsync(), StringComparison.Ordinal); // the draft is kept on the page
        Assert.False(templates["introduction"]!["custom"]!.GetValue<bool>()); // a test saves nothing
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }
}

public partial class ConsoleTests
{
    /// <summary>
    /// The cohort's own questions in Chromium: written in the console (a choice with one option refused on its row), shown on
    /// the join form, an unanswered required one named in the form's error summary by its own words, answered, on the person's
    /// page and in the participants' CSV.
    /// </summary>
    [Fact]
    public async Task An_admin_adds_questions_to_the_join_form_and_the_answers_reach_the_persons_page_and_the_CSV_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin, today: fixture.Now);
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);

        await page.GotoAsync(Url($"/console/cohorts/{cohortId}"));
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^The intake form's own questions") }).ClickAsync();
        await page.GetByLabel("Question 1: the question", new() { Exact = true }).FillAsync("Which setting do you practise in?");
        await page.GetByLabel("Question 1: the kind of answer", new() { Exact = true }).SelectOptionAsync("choice");
        await page.GetByLabel("Question 1: the options", new() { Exact = true }).FillAsync("Urban");
        await page.Locator("#questions-0--required-true").CheckAsync();
        await page.GetByLabel("Question 2: the question", new() { Exact = true }).FillAsync("Anything else?");
        await page.GetByLabel("Question 2: weight in the matching", new() { Exact = true }).FillAsync("2");
        await ClickAsync(page, "Save the questions");
        await page.WaitForSelectorAsync("#errors");
        var errors = await page.Locator("#errors li").AllInnerTextsAsync();
        Assert.StartsWith("Question 1: the options:", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Question 2: weight in the matching: Only a choice question", errors[1], StringComparison.Ordinal);
        await CheckAsync(page, "questions-errors");
        await page.GetByLabel("Question 1: the options", new() { Exact = true }).FillAsync("Urban\nRural");
        await page.GetByLabel("Question 1: weight in the matching", new() { Exact = true }).FillAsync("4.5");
        await page.GetByLabel("Question 2: the question", new() { Exact = true }).FillAsync("");
        await ClickAsync(page, "Save the questions");
        await page.WaitForSelectorAsync("text=The intake questions are saved");
        var saved = (await admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["questions"]!.AsArray();
        Assert.Equal(4.5, Assert.Single(saved)!["matchWeight"]!.GetValue<double>());

        var join = await WatchedPageAsync(browser);
        await join.GotoAsync(Url($"/cohorts/{cohortId}/join"));
        await new PersonOnForm("mentee", "Quinn", "Asked", $"quinn.{tag}@members.test", "early", "Cardiology", "academic", "Mercy", "Denver", "CO", "US",
            "America/Denver", "research", "Learn.").FillAsync(join);
        await join.Locator("#consent").CheckAsync();
        await join.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await join.WaitForSelectorAsync("#errors");
        Assert.Contains("Which setting do you practise in?: Required.", await join.Locator("#errors").InnerTextAsync(), StringComparison.Ordinal);
        await CheckAsync(join, "join-questions-errors");
        await join.GetByLabel("Which setting do you practise in? *", new() { Exact = true }).SelectOptionAsync("Rural");
        await join.Locator("#consent").CheckAsync();
        await join.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await join.WaitForSelectorAsync("[role=status]");

        var person = (await Api.ParticipantsAsync(admin, cohortId)).Single()!;
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/participants/{person["id"]!.GetValue<string>()}"));
        var facts = await page.Locator("dl.facts").InnerTextAsync();
        var csv = await page.EvaluateAsync<string>($"async () => await (await fetch('/console/cohorts/{cohortId}/participants.csv')).text()");

        Assert.Contains("Which setting do you practise in?\nRural", facts, StringComparison.Ordinal);
        Assert.EndsWith(",answers.q1", csv.Split('\n')[0], StringComparison.Ordinal);
        Assert.EndsWith(",Rural", csv.Split('\n')[1], StringComparison.Ordinal);
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }

    /// <summary>
    /// The mid-term pulse in Chromium: an admin writes it on its page (a missing month and a one-option choice refused, in the
    /// form's order), the overview shows it, and a person's pulse link opens the questions, whose error summary names them.
    /// </summary>
    [Fact]
    public async Task An_admin_sets_the_mid_term_pulse_and_a_person_opens_its_questions_from_their_link_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);
        string? configured = null;
        var (cohortId, _) = await Launch.CohortAsync(admin, anyone, pairs: 1, today: fixture.Now, beforeLaunch: async id =>
        {
            configured = id;
            await page.GotoAsync(Url($"/console/cohorts/{id}"));
            await page.GetByRole(AriaRole.Link, new() { Name = "The mid-term pulse (none)" }).ClickAsync();
            await page.GetByLabel("Question 1: the question", new() { Exact = true }).FillAsync("How is it going?");
            await page.GetByLabel("Question 1: the kind of answer", new() { Exact = true }).SelectOptionAsync("choice");
            await page.GetByLabel("Question 1: the options", new() { Exact = true }).FillAsync("Well");
            await ClickAsync(page, "Save the pulse");
            await page.WaitForSelectorAsync("#errors");
            var errors = await page.Locator("#errors li").AllInnerTextsAsync();
            Assert.StartsWith("The month whose check-in asks it:", errors[0], StringComparison.Ordinal);
            Assert.StartsWith("Question 1: the options:", errors[1], StringComparison.Ordinal);
            await CheckAsync(page, "pulse-errors");
            await page.GetByLabel("The month whose check-in asks it", new() { Exact = true }).SelectOptionAsync("3");
            await page.GetByLabel("Question 1: the options", new() { Exact = true }).FillAsync("Well\nSo-so\nBadly");
            await page.Locator("#questions-0--required-true").CheckAsync();
            await page.GetByLabel("Question 2: the question", new() { Exact = true }).FillAsync("Anything we should know?");
            await ClickAsync(page, "Save the pulse");
            await page.WaitForSelectorAsync("text=The pulse is saved");
            Assert.Contains("in the check-in of month 3: How is it going? · Anything we should know?", await page.Locator("dl.facts").InnerTextAsync(), StringComparison.Ordinal);
        });
        var pairId = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!["id"]!.GetValue<string>();
        var pair = (await fixture.App.Services.GetRequiredService<Store.CosmosStore>().ReadPairAsync(cohortId, pairId, CancellationToken.None))!.Pair;
        var link = new Uri(fixture.App.Services.GetRequiredService<Links.ResponseTokens>().Pulse(pair, pair.Mentee)).PathAndQuery;

        var person = await WatchedPageAsync(browser);
        await person.GotoAsync(Url(link));
        await CheckAsync(person, "pulse");
        await person.GetByLabel("Anything we should know?", new() { Exact = true }).FillAsync("All good so far.");
        await person.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await person.WaitForSelectorAsync("#errors");
        Assert.Contains("How is it going?: Required.", await person.Locator("#errors").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("All good so far.", await person.GetByLabel("Anything we should know?", new() { Exact = true }).InputValueAsync()); // what they wrote stays
        await CheckAsync(person, "pulse-errors");
        // Launched, and no pair has reached month 3: the admin moves the pulse to month 4 from the overview.
        await page.GotoAsync(Url($"/console/cohorts/{cohortId}"));
        await page.GetByRole(AriaRole.Link, new() { Name = "The mid-term pulse (month 3)" }).ClickAsync();
        var window = await page.Locator("#pulse-window").InnerTextAsync();
        await page.GetByLabel("The month whose check-in asks it", new() { Exact = true }).SelectOptionAsync("4");
        await ClickAsync(page, "Save the pulse");
        await page.WaitForSelectorAsync("text=The pulse is saved");
        await CheckAsync(page, "pulse-moved-during-the-term");
        var moved = (await admin.GetFromJsonAsync<JsonObject>($"/api/cohorts/{cohortId}"))!["pulse"]!["month"]!.GetValue<int>();

        Assert.StartsWith("The cohort is running: a pulse can be set for month 1 or later", window, StringComparison.Ordinal);
        Assert.Equal(4, moved);
        Assert.Equal(configured, cohortId);
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }

    /// <summary>
    /// The closing survey's own questions in Chromium: an admin writes them on their page (a one-option choice refused), the overview
    /// names them, and a person's survey link asks them after the standard five, whose error summary follows the form's order.
    /// </summary>
    [Fact]
    public async Task An_admin_adds_questions_to_the_closing_survey_and_a_person_answers_them_with_the_survey_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);
        var (cohortId, _) = await Launch.CohortAsync(admin, anyone, pairs: 1, today: fixture.Now, beforeLaunch: async id =>
        {
            await page.GotoAsync(Url($"/console/cohorts/{id}"));
            await page.GetByRole(AriaRole.Link, new() { Name = "The closing survey's own questions (0)" }).ClickAsync();
            await page.GetByLabel("Question 1: the question", new() { Exact = true }).FillAsync("Which format worked best?");
            await page.GetByLabel("Question 1: the kind of answer", new() { Exact = true }).SelectOptionAsync("choice");
            await page.GetByLabel("Question 1: the options", new() { Exact = true }).FillAsync("Video");
            await ClickAsync(page, "Save the questions");
            await page.WaitForSelectorAsync("#errors");
            Assert.StartsWith("Question 1: the options:", (await page.Locator("#errors li").AllInnerTextsAsync())[0], StringComparison.Ordinal);
            Assert.Equal(0, await page.GetByLabel("Question 1: weight in the matching").CountAsync()); // a survey question does not steer the matching
            await CheckAsync(page, "survey-questions-errors");
            await page.GetByLabel("Question 1: the options", new() { Exact = true }).FillAsync("In person\nVideo\nPhone");
            await page.Locator("#questions-0--required-true").CheckAsync();
            await ClickAsync(page, "Save the questions");
            await page.WaitForSelectorAsync("text=The survey questions are saved");
            Assert.Contains("Which format worked best?", await page.Locator("dl.facts").InnerTextAsync(), StringComparison.Ordinal);
        });
        var pairId = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/pairs"))![0]!["id"]!.GetValue<string>();
        var pair = (await fixture.App.Services.GetRequiredService<Store.CosmosStore>().ReadPairAsync(cohortId, pairId, CancellationToken.None))!.Pair;
        var link = new Uri(fixture.App.Services.GetRequiredService<Links.ResponseTokens>().Survey(pair, pair.Mentee)).PathAndQuery;

        var person = await WatchedPageAsync(browser);
        await person.GotoAsync(Url(link));
        await CheckAsync(person, "survey-own-questions");
        await person.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await person.WaitForSelectorAsync("#errors");
        var errors = await person.Locator("#errors li").AllInnerTextsAsync();
        await CheckAsync(person, "survey-own-questions-errors");

        Assert.Equal(6, errors.Count); // the standard five, then the cohort's own, in the form's order
        Assert.StartsWith("How satisfied are you with the program?", errors[0], StringComparison.Ordinal);
        Assert.Equal("Which format worked best?: Required.", errors[5]);
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }

    /// <summary>
    /// The cohort's colour in Chromium: a colour too light for white text refused on its console page, a dark one saved; the
    /// join form's button then has it (the page passes axe-core's contrast rules with it), and so does the confirmation email.
    /// </summary>
    [Fact]
    public async Task An_admin_gives_the_cohort_its_colour_and_the_join_form_and_its_emails_carry_it_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var cohortId = await Api.CreateCohortAsync(admin, today: fixture.Now);
        using var notAColour = await admin.PutAsJsonAsync($"/api/cohorts/{cohortId}/branding", new { accentColor = "red" });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);

        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/emails"));
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^The cohort's colour") }).ClickAsync();
        await page.GetByLabel("Accent colour", new() { Exact = true }).FillAsync("#ffff00");
        await ClickAsync(page, "Save the colour");
        await page.WaitForSelectorAsync("#errors");
        var error = await page.Locator("#errors li").InnerTextAsync();
        await CheckAsync(page, "branding-errors");
        await page.GetByLabel("Accent colour", new() { Exact = true }).FillAsync("#7A1F5C");
        await ClickAsync(page, "Save the colour");
        await page.WaitForSelectorAsync("text=The colour is saved");
        var join = await WatchedPageAsync(browser);
        await join.GotoAsync(Url($"/cohorts/{cohortId}/join"));
        var button = await join.GetByRole(AriaRole.Button, new() { Name = "Register" }).EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        await CheckAsync(join, "join-in-the-cohorts-colour");
        var email = Api.UniqueEmail("colour");
        (await anyone.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email))).EnsureSuccessStatusCode();
        var confirm = (await fixture.App.Stack.Inbox.WaitForAsync([email], 1)).Single();
        using var unknown = await anyone.GetAsync("/assets/cohorts/no-such-cohort/theme.css");
        var confirmPage = await anyone.GetStringAsync(new Uri(System.Text.RegularExpressions.Regex.Match(confirm.Text!, @"(http\S+/c/\S+)").Groups[1].Value).PathAndQuery);
        var theme = await anyone.GetStringAsync($"/assets/cohorts/{cohortId}/theme.css");

        Assert.Equal(HttpStatusCode.BadRequest, notAColour.StatusCode);
        Assert.Equal(["accentColor"], Api.ErrorFields(await Api.ProblemAsync(notAColour)));
        Assert.StartsWith("Accent colour: Too light: 1.07:1", error, StringComparison.Ordinal);
        Assert.Equal("rgb(122, 31, 92)", button);
        Assert.Contains("border-top: 6px solid #7a1f5c", confirm.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains($"href=\"/assets/cohorts/{cohortId}/theme.css\"", confirmPage, StringComparison.Ordinal); // a page reached by a link knows its cohort from the link
        Assert.Contains("--accent: #7a1f5c", theme, StringComparison.Ordinal);
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }

    /// <summary>
    /// The cohort's logo over HTTP: a PNG kept and served back byte for byte (its type, nosniff, a version validated by its
    /// hash); anything else refused under <c>logo</c> with nothing stored; on the join page and in the confirmation email;
    /// removed, it is gone; each change in the audit trail.
    /// </summary>
    [Fact]
    public async Task A_logo_is_kept_served_back_as_sent_shown_on_pages_and_emails_refused_when_not_a_small_png_or_jpeg_and_removed()
    {
        using var admin = fixture.App.Admin();
        using var anyone = fixture.App.CreateClient();
        var cohortId = await Api.CreateCohortAsync(admin, today: fixture.Now);
        var png = MentorFlow.Tests.TestImages.Png(300, 100);
        static ByteArrayContent Image(byte[] bytes, string type) => new(bytes) { Headers = { ContentType = new(type) } };

        using var svg = await admin.PutAsync($"/api/cohorts/{cohortId}/logo", Image("<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(), "image/svg+xml"));
        using var mislabelled = await admin.PutAsync($"/api/cohorts/{cohortId}/logo", Image(png, "image/jpeg"));
        using var tooLarge = await admin.PutAsync($"/api/cohorts/{cohortId}/logo", Image([.. png, .. new byte[Shared.Cohorts.Logos.MaxBytes]], "image/png"));
        using var noCohort = await admin.PutAsync("/api/cohorts/no-such-cohort/logo", Image(png, "image/png"));
        using var noneYet = await anyone.GetAsync($"/assets/cohorts/{cohortId}/logo");
        using var set = await admin.PutAsync($"/api/cohorts/{cohortId}/logo", Image(png, "image/png"));
        var logo = (await set.Content.ReadFromJsonAsync<JsonObject>())!["logo"]!;
        var url = logo["url"]!.GetValue<string>();
        using var served = await anyone.GetAsync(url);
        var servedBytes = await served.Content.ReadAsByteArrayAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { served.Headers.ETag! } } };
        using var notModified = await anyone.SendAsync(again);
        var join = await anyone.GetStringAsync($"/cohorts/{cohortId}/join");
        var email = Api.UniqueEmail("logo");
        (await anyone.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email))).EnsureSuccessStatusCode();
        var confirm = (await fixture.App.Stack.Inbox.WaitForAsync([email], 1)).Single();
        using var removed = await admin.DeleteAsync($"/api/cohorts/{cohortId}/logo");
        using var gone = await anyone.GetAsync(url);
        var joinAfter = await anyone.GetStringAsync($"/cohorts/{cohortId}/join");
        var audit = (await admin.GetFromJsonAsync<JsonArray>($"/api/cohorts/{cohortId}/audit"))!.Select(a => a!["action"]!.GetValue<string>()).ToList();

        foreach (var refused in new[] { svg, mislabelled, tooLarge })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(["logo"], Api.ErrorFields(await Api.ProblemAsync(refused)));
        }
        Assert.Equal(HttpStatusCode.NotFound, noCohort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noneYet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(("image/png", 300, 100, png.Length), (logo["contentType"]!.GetValue<string>(), logo["width"]!.GetValue<int>(), logo["height"]!.GetValue<int>(), logo["bytes"]!.GetValue<int>()));
        Assert.Equal(png, servedBytes);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Contains($"<img src=\"{url}\" alt=\"Society of Testing\"", join.Replace("&amp;", "&", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"{url}\" alt=", confirm.Html!.Replace("&amp;", "&", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<img src=\"http", confirm.Html, StringComparison.Ordinal); // an email's image by its absolute address
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Null((await removed.Content.ReadFromJsonAsync<JsonObject>())!["logo"]);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.DoesNotContain("cohort-logo", joinAfter, StringComparison.Ordinal);
        Assert.Equal(["SetLogo", "RemoveLogo"], audit.Where(a => a.Contains("Logo", StringComparison.Ordinal)));
    }

    /// <summary>The logo from the console in Chromium: an SVG refused on the field, a PNG uploaded, shown decoded on the join form under its policy (axe 0), removed.</summary>
    [Fact]
    public async Task An_admin_uploads_the_cohorts_logo_from_the_console_and_the_join_form_shows_it_in_Chromium()
    {
        using var admin = fixture.App.Admin();
        var cohortId = await Api.CreateCohortAsync(admin, today: fixture.Now);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await SignedInPageAsync(browser);

        await page.GotoAsync(Url($"/console/cohorts/{cohortId}/branding"));
        await page.GetByLabel("Logo image").SetInputFilesAsync(new FilePayload { Name = "logo.svg", MimeType = "image/svg+xml", Buffer = "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray() });
        await ClickAsync(page, "Upload the logo");
        await page.WaitForSelectorAsync("#errors");
        var error = await page.Locator("#errors li").InnerTextAsync();
        await CheckAsync(page, "logo-errors");
        await page.GetByLabel("Logo image").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = MentorFlow.Tests.TestImages.Png(300, 100) });
        await ClickAsync(page, "Upload the logo");
        await page.WaitForSelectorAsync("text=The logo is saved");
        var preview = await page.Locator(".cohort-logo img").EvaluateAsync<int>("i => i.naturalWidth");
        await CheckAsync(page, "logo-saved");
        var join = await WatchedPageAsync(browser);
        await join.GotoAsync(Url($"/cohorts/{cohortId}/join"));
        var shown = await join.GetByRole(AriaRole.Img, new() { Name = "Society of Testing" }).EvaluateAsync<int[]>("i => [i.naturalWidth, i.getBoundingClientRect().height]");
        await CheckAsync(join, "join-with-the-cohorts-logo");
        await ClickAsync(page, "Remove the logo");
        await page.WaitForSelectorAsync("text=The logo is removed");

        Assert.StartsWith("Logo image: Not a PNG or JPEG image.", error, StringComparison.Ordinal);
        Assert.Equal(300, preview); // decoded: the page's policy lets the app's own image in
        Assert.Equal([300, 48], shown);
        Assert.Equal(0, await page.Locator(".cohort-logo img").CountAsync());
        Assert.Empty(_audit.Violations);
        Assert.Empty(_audit.Refused);
    }
}
