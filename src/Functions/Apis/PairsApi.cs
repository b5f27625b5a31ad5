using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Hosting;
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

/// <summary>One action on many pairs: <c>pause</c>, <c>resume</c>, <c>resend</c> (the last email again) or <c>nudge</c> (this month's check-in reminder again).</summary>
public sealed record BulkRequest(string? Action, IReadOnlyList<string?>? PairIds);

/// <summary>What the action did to one pair: <c>done</c>, <c>refused</c> (the pair's state does not allow it; <c>detail</c> says why) or <c>notFound</c>.</summary>
public sealed record BulkResult(string PairId, string Outcome, string? Detail, string? Status);

public sealed record BulkResponse(string Action, int Done, int Refused, int NotFound, IReadOnlyList<BulkResult> Results);

/// <summary>What the pair routes need besides the common services.</summary>
public sealed record WorkflowServices(PairWorkflow Workflow, CohortWorkflow Cohorts, CohortFacts Facts, Durable.WorkflowEngine Engine);

/// <summary>Launch a cohort, watch its pairs, intervene in one, read the outcome report; and the dev clock.</summary>
public static class PairsApi
{
    public static IEndpointRouteBuilder MapPairsApi(this IEndpointRouteBuilder app, bool devClock)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId:id}").AddEndpointFilter<AdminKeyFilter>().WithTags("Pairs");
        api.MapPost("/launch", LaunchCohort).WithName(nameof(LaunchCohort)).WithSummary("Start every approved pair's workflow (idempotent)");
        api.MapGet("/pairs", ListPairs).WithName(nameof(ListPairs)).WithSummary("Every pair with its state and schedule");
        api.MapGet("/pairs/{pairId:id}", GetPair).WithName(nameof(GetPair)).WithSummary("One pair with its history");
        api.MapPost("/pairs/{pairId:id}/pause", PausePair).WithName(nameof(PausePair)).WithSummary("Pause a pair: nothing is sent until it resumes");
        api.MapPost("/pairs/{pairId:id}/resume", ResumePair).WithName(nameof(ResumePair)).WithSummary("Resume a paused pair; its schedule moves by the pause");
        api.MapPost("/pairs/{pairId:id}/resend", ResendToPair).WithName(nameof(ResendToPair)).WithSummary("Send the pair's last email again");
        api.MapPost("/pairs/{pairId:id}/cancel", CancelPair).WithName(nameof(CancelPair)).WithSummary("End a pair early, with a reason").Accepts<CancelRequest>("application/json");
        api.MapPost("/pairs/{pairId:id}/rematch", RematchPair).WithName(nameof(RematchPair)).WithSummary("Give the mentee a new mentor: the one named, or the best compatible one with room").Accepts<RematchRequest>(true, "application/json");
        api.MapPost("/pairs/bulk", BulkPairs).WithName(nameof(BulkPairs)).WithSummary("Pause, resume, resend to or nudge many pairs at once: a result per pair").Accepts<BulkRequest>("application/json");
        api.MapGet("/report", Report).WithName(nameof(Report)).WithSummary("The outcome report (JSON, or CSV with ?format=csv)");
        if (devClock)
        {
            app.MapPost("/api/dev/clock", AdvanceClock).AddEndpointFilter<AdminKeyFilter>().WithName(nameof(AdvanceClock)).WithTags("Development")
                .WithSummary("Development only: move the app's clock forward and run the work that became due").Accepts<ClockRequest>("application/json");
        }
        return app;
    }

    /// <summary>Starts every approved pair's workflow. Idempotent: a repeat (or a retry after a crash) creates only what is missing.</summary>
    public static async Task<Results<Accepted<LaunchResponse>, ProblemHttpResult>> LaunchCohort(
        string cohortId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        CohortEvent.LaunchRequested? launch = null;
        var applied = await services.ChangeCohortAsync(workflow.Cohorts, cohortId, async (cohort, _, token) => launch = await workflow.Facts.LaunchAsync(cohort, token), nameof(LaunchCohort), ct);
        return CohortResults.Map(applied, cohortId, a => TypedResults.Accepted($"/api/cohorts/{cohortId}", new LaunchResponse(
            Words.Of(a.Document!.Cohort.Status), launch!.Approved.Pairs.Count, a.PairsCreated, a.Document.Cohort.LateIntroduction, a.Document.Cohort.IntroductionDeadline)));
    }

    public static Task<Results<Ok<PairResponse>, ProblemHttpResult>> PausePair(
        string cohortId, string pairId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct) =>
        Intervene(cohortId, pairId, (_, _) => new PairEvent.Paused(), nameof(PausePair), null, services, workflow, ct);

    public static Task<Results<Ok<PairResponse>, ProblemHttpResult>> ResumePair(
        string cohortId, string pairId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct) =>
        Intervene(cohortId, pairId, (_, _) => new PairEvent.Resumed(), nameof(ResumePair), null, services, workflow, ct);

    public static Task<Results<Ok<PairResponse>, ProblemHttpResult>> ResendToPair(
        string cohortId, string pairId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct) =>
        Intervene(cohortId, pairId, (_, _) => new PairEvent.ResendRequested(), nameof(ResendToPair), null, services, workflow, ct);

    /// <summary>The actions <see cref="BulkPairs"/> takes, with the event each gives a pair and the operation it is audited as.</summary>
    public static readonly IReadOnlyDictionary<string, (Func<PairEvent> Event, string Operation)> BulkActions = new Dictionary<string, (Func<PairEvent>, string)>(StringComparer.Ordinal)
    {
        ["pause"] = (() => new PairEvent.Paused(), nameof(PausePair)),
        ["resume"] = (() => new PairEvent.Resumed(), nameof(ResumePair)),
        ["resend"] = (() => new PairEvent.ResendRequested(), nameof(ResendToPair)),
        ["nudge"] = (() => new PairEvent.Nudged(), "NudgePair"),
    };

    public const int BulkLimit = 1000;

    public static async Task<Results<Ok<BulkResponse>, ProblemHttpResult>> BulkPairs(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<BulkRequest>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await BulkAsync(cohortId, body.Value!, services, workflow, ct) : body.Failure!;
    }

    /// <summary>
    /// One action on each pair named, a few at once, each through the pair's own rules (a paused pair is not paused twice; a pair
    /// that answered is not nudged): the answer says, per pair, what was done or why not. The API's JSON and the console's board both come here.
    /// </summary>
    public static async Task<Results<Ok<BulkResponse>, ProblemHttpResult>> BulkAsync(
        string cohortId, BulkRequest bulk, ApiServices services, WorkflowServices workflow, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (bulk.Action is null || !BulkActions.ContainsKey(bulk.Action))
        {
            errors.Add("action", $"Required: one of {string.Join(", ", BulkActions.Keys)}.");
        }
        if (bulk.PairIds is not { Count: > 0 } ids)
        {
            errors.Add("pairIds", "Required: the ids of the pairs to act on (at least one).");
        }
        else if (ids.Count > BulkLimit)
        {
            errors.Add("pairIds", $"At most {BulkLimit} pairs at once.");
        }
        else if (ids.Select((id, i) => Ids.IsWellFormed(id) ? -1 : i).FirstOrDefault(i => i >= 0, -1) is var at and >= 0)
        {
            errors.Add($"pairIds[{at}]", "Not a pair id.");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        var cohort = await services.Store.ReadCohortAsync(cohortId, ct);
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var (eventFor, operation) = BulkActions[bulk.Action!];
        var terms = PairTerms.For(cohort.Cohort);
        var distinct = bulk.PairIds!.Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        var results = new BulkResult[distinct.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, distinct.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var pairId = distinct[i];
            var (document, decision) = await services.ChangePairAsync(workflow.Workflow, cohortId, pairId, terms, (_, _) => eventFor(), operation, $"in a bulk action ({distinct.Count} pairs asked)", token);
            results[i] = (document, decision) switch
            {
                (null, _) => new BulkResult(pairId, "notFound", $"No pair '{pairId}' in this cohort.", null),
                (_, PairDecision.Rejected rejected) => new BulkResult(pairId, "refused", rejected.Reason, Words.Of(document.Pair.Status)),
                _ => new BulkResult(pairId, "done", null, Words.Of(document.Pair.Status)),
            };
        });
        return TypedResults.Ok(new BulkResponse(bulk.Action!, results.Count(r => r.Outcome == "done"), results.Count(r => r.Outcome == "refused"),
            results.Count(r => r.Outcome == "notFound"), results));
    }

    public static async Task<Results<Ok<PairResponse[]>, ProblemHttpResult>> ListPairs(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohort = await services.Store.ReadCohortAsync(cohortId, ct);
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var pairs = await services.Store.ListPairsAsync(cohortId, ct);
        return TypedResults.Ok(pairs.OrderBy(p => p.Pair.Mentee.Name, StringComparer.Ordinal).Select(p => PairResponse.From(p, history: false)).ToArray());
    }

    public static async Task<Results<Ok<PairResponse>, ProblemHttpResult>> GetPair(string cohortId, string pairId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var document = await services.Store.ReadPairAsync(cohortId, pairId, ct);
        return document is null ? Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'.") : TypedResults.Ok(PairResponse.From(document, history: true));
    }

    public static async Task<Results<Ok<PairResponse>, ProblemHttpResult>> CancelPair(
        string cohortId, string pairId, HttpRequest request, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<CancelRequest>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await CancelAsync(cohortId, pairId, body.Value!, services, workflow, ct) : body.Failure!;
    }

    /// <summary>Ends a pair early with the reason given (the API's JSON and the console's form both come here).</summary>
    public static async Task<Results<Ok<PairResponse>, ProblemHttpResult>> CancelAsync(
        string cohortId, string pairId, CancelRequest cancel, ApiServices services, WorkflowServices workflow, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = Check.Text(errors, "reason", cancel.Reason, 500, required: true);
        return errors.IsEmpty
            ? await Intervene(cohortId, pairId, (_, _) => new PairEvent.Cancelled(reason!), nameof(CancelPair), reason, services, workflow, ct)
            : Problems.Invalid(errors);
    }

    /// <summary>A new mentor for the rest of the term: the one named, or the best-scoring mentor with room left.</summary>
    public static async Task<Results<Ok<PairResponse>, ProblemHttpResult>> RematchPair(
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
        return await RematchAsync(cohortId, pairId, named, services, workflow, ct);
    }

    public static async Task<Results<Ok<PairResponse>, ProblemHttpResult>> RematchAsync(
        string cohortId, string pairId, string? named, ApiServices services, WorkflowServices workflow, CancellationToken ct)
    {
        var cohort = await services.Store.ReadCohortAsync(cohortId, ct);
        var current = cohort is not null ? await services.Store.ReadPairAsync(cohortId, pairId, ct) : null;
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
            RematchChoice.Chosen chosen => await Intervene(cohortId, pairId, (_, _) => new PairEvent.Rematched(Shared.Pairing.Member.Of(chosen.Mentor)), nameof(RematchPair), $"new mentor {chosen.Mentor.Id}", services, workflow, ct),
            _ => throw new InvalidOperationException("Unknown rematch choice."),
        };
    }

    /// <summary>The cohort's report from its pairs: what the report route answers and the console's dashboard shows.</summary>
    public static CohortReport ReportOf(Store.CohortDocument cohort, IReadOnlyList<Store.PairDocument> pairs) => CohortReport.For(cohort.Cohort, [.. pairs.Select(d => d.Pair)]);

    public static async Task<Results<Ok<ReportResponse>, ContentHttpResult, ProblemHttpResult>> Report(
        string cohortId, string? format, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohort = await services.Store.ReadCohortAsync(cohortId, ct);
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var report = ReportOf(cohort, await services.Store.ListPairsAsync(cohortId, ct));
        return format switch
        {
            null or "json" => TypedResults.Ok(ReportResponse.From(report)),
            "csv" => TypedResults.Text(report.ToCsv(), "text/csv; charset=utf-8"),
            _ => Problems.Invalid("format", "Use json or csv."),
        };
    }

    /// <summary>Development only: moves the app's clock forward and runs the work that became due.</summary>
    public static async Task<Results<Ok<ClockResponse>, ProblemHttpResult>> AdvanceClock(
        HttpRequest request, TimeProvider time, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<ClockRequest>(request, services.Settings.MaxBodyBytes, ct);
        if (!body.Succeeded)
        {
            return body.Failure!;
        }
        return await AdvanceAsync(body.Value!.Advance, time, workflow, ct);
    }

    /// <summary>Development only: moves the dev clock by an ISO 8601 duration and waits until every orchestration has done what became due.</summary>
    public static async Task<Results<Ok<ClockResponse>, ProblemHttpResult>> AdvanceAsync(string? advance, TimeProvider time, WorkflowServices workflow, CancellationToken ct)
    {
        if (CalendarDuration.Until(advance, time.GetUtcNow()) is not { } target)
        {
            return Problems.Invalid("advance", "An ISO 8601 duration such as P1M (a calendar month), P7D or PT6H.");
        }
        var by = target - time.GetUtcNow();
        if (by <= TimeSpan.Zero || by > TimeSpan.FromDays(400) || time is not DevClock clock)
        {
            return Problems.Invalid("advance", "A positive duration of at most 400 days.");
        }
        clock.Advance(by);
        // Every orchestration is woken on the moved clock and answers before the response: what was due in between is done.
        var summary = await workflow.Engine.CatchUpAsync(ct);
        var ticks = new List<TickResponse> { TickResponse.From(summary) };
        return TypedResults.Ok(new ClockResponse(time.GetUtcNow(), ticks));
    }

    /// <summary>An admin's event for one pair (<see cref="ApiServices.ChangePairAsync"/>), answered as the pair routes answer.</summary>
    private static async Task<Results<Ok<PairResponse>, ProblemHttpResult>> Intervene(
        string cohortId, string pairId, Func<Pair, DateTimeOffset, PairEvent?> eventFor, string action, string? detail,
        ApiServices services, WorkflowServices workflow, CancellationToken ct)
    {
        var cohort = await services.Store.ReadCohortAsync(cohortId, ct);
        if (cohort is null)
        {
            return Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'.");
        }
        var (document, decision) = await services.ChangePairAsync(workflow.Workflow, cohortId, pairId, PairTerms.For(cohort.Cohort), eventFor, action, detail, ct);
        return (document, decision) switch
        {
            (null, _) => Problems.NotFound($"No pair '{pairId}' in cohort '{cohortId}'."),
            (_, PairDecision.Rejected rejected) => Problems.Conflict(rejected.Reason),
            _ => TypedResults.Ok(PairResponse.From(document, history: true)),
        };
    }
}
