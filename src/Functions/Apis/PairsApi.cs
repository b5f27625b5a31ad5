using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public sealed record CancelRequest(string? Reason);

public sealed record RematchRequest(string? MentorId);

public sealed record ClockRequest(string? Advance);

/// <summary>What the pair routes need besides the common services.</summary>
public sealed record WorkflowServices(PairWorkflow Workflow, CohortWorkflow Cohorts, CohortFacts Facts, Dispatcher Dispatcher);

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
        string cohortId, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        CohortEvent.LaunchRequested? launch = null;
        var applied = Ids.IsWellFormed(cohortId)
            ? await workflow.Cohorts.ApplyAsync(cohortId, async (cohort, _, token) => launch = await workflow.Facts.LaunchAsync(cohort, token), "admin", ct)
            : new CohortApplied(null, null);
        return CohortResults.Map(applied, cohortId, a => TypedResults.Accepted($"/api/cohorts/{cohortId}", new JsonObject
        {
            ["status"] = Words.Of(a.Document!.Cohort.Status),
            ["pairs"] = launch!.Approved.Pairs.Count,
            ["created"] = a.PairsCreated,
            ["lateIntroduction"] = a.Document.Cohort.LateIntroduction,
            ["introductionDeadline"] = a.Document.Cohort.IntroductionDeadline.ToString("O"),
        }));
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
        var participants = await workflow.Facts.ParticipantsAsync(cohortId, ct);
        var pairs = (await services.Store.ListPairsAsync(cohortId, ct)).Select(d => d.Pair).ToList();
        return Rematching.Choose(cohort.Cohort, current.Pair, participants, pairs, named) switch
        {
            RematchChoice.Invalid invalid => Problems.Invalid(invalid.Field, invalid.Message),
            RematchChoice.Rejected rejected => Problems.Conflict(rejected.Reason),
            RematchChoice.Chosen chosen => await Intervene(cohortId, pairId, (_, _) => new PairEvent.Rematched(Shared.Pairing.Member.Of(chosen.Mentor)), services, workflow, ct),
            _ => throw new InvalidOperationException("Unknown rematch choice."),
        };
    }

    public static async Task<IResult> Report(string cohortId, string? format, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var report = CohortReport.For(cohort.Cohort, [.. (await services.Store.ListPairsAsync(cohortId, ct)).Select(d => d.Pair)]);
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
        var (document, decision) = await workflow.Workflow.ApplyAsync(cohortId, pairId, PairTerms.For(cohort.Cohort), eventFor, "admin", ct);
        return (document, decision) switch
        {
            (null, _) => Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'."),
            (_, PairDecision.Rejected rejected) => Problems.Conflict(rejected.Reason),
            _ => TypedResults.Ok(View(document, history: true)),
        };
    }

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
