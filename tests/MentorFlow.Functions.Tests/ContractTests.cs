using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The public contract (docs/api.md), the OpenAPI document the app serves, the JSON field names of every answer and of
/// every stored document: each held here, so that a rename in src/Shared or in a contract record fails a test instead of
/// silently changing what clients read or what is stored. Set MENTORFLOW_UPDATE_CONTRACTS=1 to rewrite the expected
/// shapes after a change that is meant (and say so in the commit).
/// </summary>
public partial class ContractTests
{
    /// <summary>Routes of docs/api.md that open issues have yet to build; every other route must be served.</summary>
    private static readonly HashSet<string> NotYetServed = ["GET /console/…"];

    [Fact]
    public async Task Every_route_of_the_API_contract_is_in_the_OpenAPI_document_and_every_JSON_answer_names_its_schema()
    {
        await using var stack = new MentorFlowApp(await LocalStack.GetAsync());
        // The development clock's route exists only where the clock does; the host reads that setting before the app's configuration.
        await using var app = stack.WithWebHostBuilder(host => host.UseSetting("MentorFlow:DevClock", "true"));
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        var routes = ContractRoutes().ToList();
        var missing = routes.Where(r => !NotYetServed.Contains($"{r.Verb} {r.Path}") && r.Path != "/openapi/v1.json")
            .Where(r => paths[r.Path]?[r.Verb.ToLowerInvariant()] is null).ToList();
        var untyped = paths.SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Verb: o.Key, Operation: o.Value!)))
            .Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal))
            .Where(o => o.Operation["responses"]!.AsObject().All(r => r.Key != "204")
                && o.Operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).All(r => r.Value?["content"]?["application/json"]?["schema"] is null))
            .Select(o => $"{o.Verb} {o.Path}").ToList();

        Assert.True(routes.Count >= 30, $"only {routes.Count} routes read from docs/api.md");
        Assert.Empty(missing);
        Assert.Empty(untyped);
        Assert.All(paths.SelectMany(p => p.Value!.AsObject().Select(o => (Route: $"{o.Key} {p.Key}", Operation: o.Value!))),
            o => Assert.False(string.IsNullOrEmpty(o.Operation["summary"]?.GetValue<string>()), $"{o.Route} without a summary"));
    }

    [Fact]
    public void The_field_names_of_every_answer_are_held_to_the_contract()
    {
        var (cohort, participant, pair, proposal) = Samples();
        var shapes = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["CohortResponse"] = Paths(CohortResponse.From(cohort, "https://example.test")),
            ["ParticipantResponse"] = Paths(ParticipantResponse.From(participant)),
            ["PairResponse"] = Paths(PairResponse.From(pair, history: true)),
            ["ProposalResponse"] = Paths(ProposalResponse.From(proposal, cohort.Cohort)),
            ["ReportResponse"] = Paths(ReportResponse.From(CohortReport.For(cohort.Cohort, [pair.Pair]))),
        };

        HoldTo("api-shapes.txt", shapes);
    }

    [Fact]
    public void The_field_names_of_every_stored_document_are_held_so_a_rename_in_the_core_cannot_change_what_is_stored_silently()
    {
        var (cohort, participant, pair, proposal) = Samples();
        var shapes = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["CohortDocument"] = Paths(cohort),
            ["ParticipantDocument"] = Paths(participant),
            ["PairDocument"] = Paths(pair),
            ["ProposalDocument"] = Paths(proposal),
        };

        HoldTo("stored-shapes.txt", shapes);
    }

    /// <summary>One of each document, with every optional part filled so that every field appears.</summary>
    private static (CohortDocument Cohort, ParticipantDocument Participant, PairDocument Pair, ProposalDocument Proposal) Samples()
    {
        var at = new DateTimeOffset(2027, 1, 4, 12, 0, 0, TimeSpan.Zero);
        var form = new CohortForm("Sample", "Society", new NationalMeetingForm("Meeting", "2027-03-25", "Austin", "America/Chicago"), "2027-02-01", "2027-03-01",
            null, null, null, null, null, null, null, ["team@society.test"]);
        var cohort = CohortRules.Validate(form, "sample-cohort", at).Value! with
        {
            Status = CohortStatus.Running, ApprovedProposal = 1, LatestProposal = 1, NextDue = CohortDue.Digest, NextDueAt = at, LaunchedAt = at, LastDigest = "0/0/0",
            Steering = new MatchingSteering([new PairKey("p-a", "p-b")], [new PairKey("p-a", "p-c")]),
        };
        Participant Person(string id, Role role) => new(id, cohort.Id, role, "Ana", "López", $"{id}@example.test", role == Role.Mentee ? CareerStage.Trainee : CareerStage.Late,
            "Anesthesiology", "Pediatric", PracticeSetting.Academic, $"Hospital {id}", "Austin", "TX", "US", "America/Chicago", [Aspect.Research], true,
            Preferences.None, role == Role.Mentor ? 1 : null, "Goals", ["Someone"], ParticipantStatus.Registered, at);
        var mentee = Person("p-a", Role.Mentee);
        var mentor = Person("p-b", Role.Mentor);
        var message = new PendingMessage("key", EmailKind.CheckIn, AlertKind.AtRisk, 1, ["p-a"], "detail", at, OutboxState.Sent, 1, "me", at, at, "error",
            CohortNotice.WeeklyDigest, at);
        var result = Matcher.Match(cohort, [mentee, mentor, Person("p-c", Role.Mentee)], MatchingSteering.None);
        var pair = Pair.Start(Pair.IdFor(mentee.Id, mentor.Id), cohort.Id, Member.Of(mentee), Member.Of(mentor), at, true) with
        {
            Answers = new Dictionary<int, Answer> { [1] = Answer.Met }, ResumeTo = PairStatus.Active, PausedAt = at, IntroducedAt = at, SurveySentAt = at,
            Survey = new Dictionary<string, SurveyAnswer> { ["p-a"] = new(5, "yes", true, true, false, "Thanks") }, LastEmail = new SentEmail(EmailKind.CheckIn, 1, ["p-a"]),
            CancelReason = "moved",
        };
        return (new CohortDocument(cohort.Id, cohort.Id, cohort, [message]),
            new ParticipantDocument(mentee.Id, cohort.Id, mentee, "submission", [message with { Key = ParticipantDecider.KeyFor(mentee, ParticipantMail.Receipt, at), Mail = ParticipantMail.Receipt }]),
            new PairDocument(pair.Id, cohort.Id, pair, [message], [new HistoryEntry(at, "Launched", "started", "admin")]),
            new ProposalDocument(ProposalDocument.IdFor(1), cohort.Id, 1, at, cohort.Steering, result));
    }

    private static List<string> Paths<T>(T value)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(JsonSerializer.SerializeToNode(value, Json.Output), "", paths);
        return [.. paths];
    }

    private static void Walk(JsonNode? node, string path, SortedSet<string> paths)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    var here = path.Length == 0 ? key : $"{path}.{key}";
                    paths.Add(here);
                    Walk(child, here, paths);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Walk(item, path + "[]", paths);
                }
                break;
        }
    }

    private static void HoldTo(string file, SortedDictionary<string, IReadOnlyList<string>> shapes)
    {
        var actual = string.Concat(shapes.Select(s => $"# {s.Key}\n{string.Join("\n", s.Value)}\n"));
        var path = Path.Combine(LocalStack.RepoRoot(), "tests", "MentorFlow.Functions.Tests", "Contracts", file);
        if (Environment.GetEnvironmentVariable("MENTORFLOW_UPDATE_CONTRACTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    /// <summary>Every verb and route in docs/api.md's table ("`GET /a/{x}` · `/b`": a bare path replaces the previous one's last segment).</summary>
    private static IEnumerable<(string Verb, string Path)> ContractRoutes()
    {
        foreach (var line in File.ReadLines(Path.Combine(LocalStack.RepoRoot(), "docs", "api.md"))
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cell = line.Split('|')[1];
            string[] verbs = [];
            var previous = "";
            foreach (Match item in RouteItem().Matches(cell))
            {
                var text = item.Groups[1].Value;
                string path;
                if (text.StartsWith('/'))
                {
                    path = previous[..previous.LastIndexOf('/')] + text;
                }
                else
                {
                    var space = text.IndexOf(' ');
                    verbs = text[..space].Split('/');
                    path = text[(space + 1)..];
                }
                previous = path;
                foreach (var verb in verbs)
                {
                    yield return (verb, path);
                }
            }
        }
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex RouteItem();
}
