using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public sealed record CancelRequest(string? Reason);

public sealed record RematchRequest(string? MentorId);

public sealed record ClockRequest(string? Advance);

/// <summary>What the pair routes need besides the common services.</summary>
public sealed record WorkflowServices(PairWorkflow Workflow, CohortCloser Cohorts, Dispatcher Dispatcher);

/// <summary>Launch a cohort, watch its pairs, intervene in one, read the outcome report; and the dev clock.</summary>
public static class PairsApi
{
    public static IEndpointRouteBuilder MapPairsApi(this IEndpointRouteBuilder app, bool devClock)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId}").AddEndpointFilter<AdminKeyFilter>().WithTags("Pairs");
        api.MapPost("/launch", LaunchCohort).WithName(nameof(LaunchCohort));
        api.MapGet("/pairs", ListPairs).WithName(nameof(ListPairs));
        api.MapGet("/pairs/{pairId}", GetPair).WithName(nameof(GetPair));
        api.MapPost("/pairs/{pairId}/pause", (string cohortId, string pairId, [AsParameters] ApiServices s, [AsParameters] WorkflowServices w, CancellationToken ct) =>
            Intervene(cohortId, pairId, (_, _) => new PairEvent.Paused(), s, w, ct)).WithName("PausePair");
        api.MapPost("/pairs/{pairId}/resume", (string cohortId, string pairId, [AsParameters] ApiServices s, [AsParameters] WorkflowServices w, CancellationToken ct) =>
            Intervene(cohortId, pairId, (_, _) => new PairEvent.Resumed(), s, w, ct)).WithName("ResumePair");
        api.MapPost("/pairs/{pairId}/resend", (string cohortId, string pairId, [AsParameters] ApiServices s, [AsParameters] WorkflowServices w, CancellationToken ct) =>
            Intervene(cohortId, pairId, (_, _) => new PairEvent.ResendRequested(), s, w, ct)).WithName("ResendToPair");
        api.MapPost("/pairs/{pairId}/cancel", CancelPair).WithName(nameof(CancelPair));
        api.MapPost("/pairs/{pairId}/rematch", RematchPair).WithName(nameof(RematchPair));
        api.MapGet("/report", Report).WithName(nameof(Report));
        if (devClock)
        {
            app.MapPost("/api/dev/clock", AdvanceClock).AddEndpointFilter<AdminKeyFilter>().WithName(nameof(AdvanceClock)).WithTags("Development");
        }
        return app;
    }

    /// <summary>Starts every approved pair's workflow. Idempotent: a repeat (or a retry after a crash) creates only what is missing.</summary>
    public static async Task<Results<Accepted<JsonObject>, ProblemHttpResult>> LaunchCohort(
        string cohortId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var stored = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (stored is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        if (CohortDecider.Decide(stored.Value, new CohortCommand.Launch(), services.Time.GetUtcNow()) is CohortDecision.Rejected rejected)
        {
            return Problems.Conflict(rejected.Reason);
        }
        await workflow.Cohorts.TransitionAsync(cohortId, new CohortCommand.Launch(), ct);
        var cohort = stored.Value;
        var proposal = await services.Store.ReadProposalAsync(cohortId, cohort.ApprovedProposal!.Value, ct)
            ?? throw new InvalidOperationException($"Approved proposal {cohort.ApprovedProposal} of {cohortId} is missing.");
        var now = services.Time.GetUtcNow();
        var late = now > IntroductionDeadline(cohort);
        var created = 0;
        foreach (var proposed in proposal.Result.Pairs)
        {
            var mentee = await services.Store.ReadParticipantAsync(cohortId, proposed.MenteeId, ct);
            var mentor = await services.Store.ReadParticipantAsync(cohortId, proposed.MentorId, ct);
            if (mentee is null || mentor is null)
            {
                continue;
            }
            var pair = Pair.Start(PairId(proposed.MenteeId, proposed.MentorId), cohortId, Member(mentee.Participant), Member(mentor.Participant), now, late);
            var document = new PairDocument(pair.Id, cohortId, pair, [],
                [new HistoryEntry(now, "Launched", $"pair started from proposal {proposal.Version}{(late ? "; introduction late" : "")}", "admin")]);
            created += await services.Store.CreatePairAsync(document, ct) == CreateOutcome.Created ? 1 : 0;
        }
        await workflow.Cohorts.TransitionAsync(cohortId, new CohortCommand.MarkRunning(), ct);
        var after = await services.Store.ReadCohortAsync(cohortId, ct);
        return TypedResults.Accepted($"/api/cohorts/{cohortId}", new JsonObject
        {
            ["status"] = Words.Of(after!.Value.Status),
            ["pairs"] = proposal.Result.Pairs.Count,
            ["created"] = created,
            ["lateIntroduction"] = late,
            ["introductionDeadline"] = IntroductionDeadline(cohort).ToString("O"),
        });
    }

    public static async Task<Results<Ok<JsonArray>, ProblemHttpResult>> ListPairs(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var pairs = await services.Store.ListPairsAsync(cohortId, ct);
        return TypedResults.Ok(new JsonArray([.. pairs.OrderBy(p => p.Pair.Mentee.Name, StringComparer.Ordinal).Select(p => (JsonNode)View(p, history: false))]));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetPair(string cohortId, string pairId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var document = Ids.IsWellFormed(cohortId) && Ids.IsWellFormed(pairId) ? await services.Store.ReadPairAsync(cohortId, pairId, ct) : null;
        return document is null ? Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'.") : TypedResults.Ok(View(document, history: true));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> CancelPair(
        string cohortId, string pairId, HttpRequest request, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<CancelRequest>(request, services.Settings.MaxBodyBytes, ct);
        if (!body.Succeeded)
        {
            return body.Failure!;
        }
        var errors = new ValidationErrors();
        var reason = Check.Text(errors, "reason", body.Value!.Reason, 500, required: true);
        return errors.IsEmpty
            ? await Intervene(cohortId, pairId, (_, _) => new PairEvent.Cancelled(reason!), services, workflow, ct)
            : Problems.Invalid(errors);
    }

    /// <summary>A new mentor for the rest of the term: the one named, or the best-scoring mentor with room left.</summary>
    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> RematchPair(
        string cohortId, string pairId, HttpRequest request, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        string? named = null;
        if (request.ContentLength > 0)
        {
            var body = await RequestBodies.ReadJsonAsync<RematchRequest>(request, services.Settings.MaxBodyBytes, ct);
            if (!body.Succeeded)
            {
                return body.Failure!;
            }
            named = body.Value!.MentorId;
        }
        var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        var current = cohort is not null && Ids.IsWellFormed(pairId) ? await services.Store.ReadPairAsync(cohortId, pairId, ct) : null;
        if (cohort is null || current is null)
        {
            return Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'.");
        }
        var participants = (await services.Store.ListParticipantsAsync(cohortId, ct)).Select(d => d.Participant).ToList();
        Participant? mentor;
        if (named is not null)
        {
            mentor = participants.FirstOrDefault(p => p.Id == named && p.Role == Role.Mentor && p.Status == ParticipantStatus.Registered);
            if (mentor is null)
            {
                return Problems.Invalid("mentorId", "No registered mentor with this id in this cohort.");
            }
        }
        else
        {
            var load = (await services.Store.ListPairsAsync(cohortId, ct)).Where(d => !d.Pair.IsTerminal)
                .GroupBy(d => d.Pair.Mentor.ParticipantId).ToDictionary(g => g.Key, g => g.Count());
            var free = participants.Where(p => p.Role == Role.Mentor && p.Status == ParticipantStatus.Registered
                && p.Id != current.Pair.Mentor.ParticipantId && load.GetValueOrDefault(p.Id) < (p.Capacity ?? 1)).ToList();
            var mentee = participants.First(p => p.Id == current.Pair.Mentee.ParticipantId);
            var best = Matcher.Match(cohort.Value with { MentorsPerMentee = 1 },
                [mentee, .. free.Select(f => f with { Capacity = 1 })], MatchingSteering.None).Pairs.FirstOrDefault();
            mentor = best is null ? null : free.First(f => f.Id == best.MentorId);
            if (mentor is null)
            {
                return Problems.Conflict("No compatible mentor has room left; name one with mentorId.");
            }
        }
        return await Intervene(cohortId, pairId, (_, _) => new PairEvent.Rematched(Member(mentor)), services, workflow, ct);
    }

    public static async Task<IResult> Report(string cohortId, string? format, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var report = CohortReport.For(cohort.Value, [.. (await services.Store.ListPairsAsync(cohortId, ct)).Select(d => d.Pair)]);
        return format switch
        {
            null or "json" => TypedResults.Ok((JsonObject)JsonSerializer.SerializeToNode(report, Json.Output)!),
            "csv" => TypedResults.Text(report.ToCsv(), "text/csv; charset=utf-8"),
            _ => Problems.Invalid("format", "Use json or csv."),
        };
    }

    /// <summary>Development only: moves the app's clock forward and runs the work that became due.</summary>
    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> AdvanceClock(
        HttpRequest request, TimeProvider time, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<ClockRequest>(request, services.Settings.MaxBodyBytes, ct);
        if (!body.Succeeded)
        {
            return body.Failure!;
        }
        TimeSpan by;
        try
        {
            by = XmlConvert.ToTimeSpan(body.Value!.Advance ?? "");
        }
        catch (FormatException)
        {
            return Problems.Invalid("advance", "An ISO 8601 duration such as P30D or PT6H.");
        }
        if (by <= TimeSpan.Zero || by > TimeSpan.FromDays(400) || time is not DevClock clock)
        {
            return Problems.Invalid("advance", "A positive duration of at most 400 days.");
        }
        clock.Advance(by);
        var ticks = new JsonArray();
        for (var round = 0; round < 20; round++)
        {
            var summary = await workflow.Dispatcher.TickAsync(ct);
            ticks.Add(JsonSerializer.SerializeToNode(summary, Json.Output));
            if (summary.Transitions == 0)
            {
                break;
            }
        }
        return TypedResults.Ok(new JsonObject { ["now"] = time.GetUtcNow().ToString("O"), ["ticks"] = ticks });
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Intervene(
        string cohortId, string pairId, Func<Pair, DateTimeOffset, PairEvent?> eventFor, ApiServices services, WorkflowServices workflow, CancellationToken ct)
    {
        var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (cohort is null || !Ids.IsWellFormed(pairId))
        {
            return Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'.");
        }
        var (document, decision) = await workflow.Workflow.ApplyAsync(cohortId, pairId, PairTerms.For(cohort.Value), eventFor, "admin", ct);
        return (document, decision) switch
        {
            (null, _) => Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'."),
            (_, PairDecision.Rejected rejected) => Problems.Conflict(rejected.Reason),
            _ => TypedResults.Ok(View(document, history: true)),
        };
    }

    public static DateTimeOffset IntroductionDeadline(Cohort cohort)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(cohort.NationalMeeting.TimeZone);
        var local = cohort.NationalMeeting.StartsOn.ToDateTime(TimeOnly.MinValue).AddDays(-cohort.IntroLeadDays);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static string PairId(string menteeId, string mentorId) =>
        "pair-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{menteeId}\n{mentorId}")))[..20];

    public static Member Member(Participant p) => new(p.Id, p.FullName, p.Email, p.TimeZone, p.AttendingNationalMeeting);

    private static JsonObject View(PairDocument document, bool history)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(document.Pair, Json.Output)!;
        node["pendingMessages"] = document.Outbox.Count;
        if (history)
        {
            node["history"] = JsonSerializer.SerializeToNode(document.History, Json.Output);
        }
        return node;
    }
}
