using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Shared.Matching;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Admin;

public static partial class AdminConsole
{
    private static void MapPairs(RouteGroupBuilder console, bool devClock)
    {
        console.MapGet("/cohorts/{cohortId:id}/launch", LaunchPage);
        console.MapPost("/cohorts/{cohortId:id}/launch", Launch);
        console.MapGet("/cohorts/{cohortId:id}/pairs", Pairs);
        console.MapGet("/cohorts/{cohortId:id}/pairs/{pairId:id}", Pair);
        foreach (var action in new[] { "pause", "resume", "resend", "cancel", "rematch" })
        {
            console.MapPost($"/cohorts/{{cohortId:id}}/pairs/{{pairId:id}}/{action}",
                (HttpContext http, string cohortId, string pairId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct) =>
                    InterveneAsync(http, cohortId, pairId, action, services, workflow, ct));
        }
        if (devClock)
        {
            console.MapPost("/clock", AdvanceClock);
        }
    }

    private static Task<IResult> LaunchPage(HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        LaunchPageAsync(http, cohortId, services, null, ct);

    private static async Task<IResult> Launch(HttpContext http, string cohortId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct) =>
        await AnswerAsync<LaunchResponse>((await PairsApi.LaunchCohort(cohortId, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/pairs", "launched")),
            problem => LaunchPageAsync(http, cohortId, services, problem, ct));

    private static Task<IResult> LaunchPageAsync(HttpContext http, string cohortId, ApiServices services, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "launch", services, ct, async (context, cohort) =>
        {
            var approved = await ApprovedProposalAsync(cohort, services, ct);
            var people = (await ListParticipantsAsync(cohortId, services, ct)).Where(p => p.Status == "registered").ToDictionary(p => p.Id, StringComparer.Ordinal);
            var pairs = approved?.Pairs ?? [];
            var starting = pairs.Where(p => people.ContainsKey(p.MenteeId) && people.ContainsKey(p.MentorId)).ToList();
            var late = context.Now > cohort.IntroductionDeadline;
            // Introduced at launch, each pair's first check-in is a month on, at 09:00 on a weekday in the mentee's zone.
            Shared.Words.TryParse<Shared.CheckInCadence>(cohort.CheckInCadence, out var cadence);
            var firstCheckIns = starting.Select(p => Shared.Pairing.Schedule.CheckIn(context.Now, TimeSpan.Zero, 1, cadence, people[p.MenteeId].TimeZone)).ToList();
            return ConsolePages.Page<Pages.LaunchPreview>(context, new LaunchModel(approved?.Version, starting, [.. pairs.Except(starting)], late,
                QuotaTime(starting.Count * 2, services.Settings.EmailsPerMinute, services.Settings.EmailsPerHour), problem,
                firstCheckIns.Count == 0 ? null : firstCheckIns.Min(), firstCheckIns.Count == 0 ? null : firstCheckIns.Max()), problem?.Status ?? StatusCodes.Status200OK);
        });

    /// <summary>How long the provider's quota needs for a wave of emails, in words.</summary>
    internal static string QuotaTime(int emails, int perMinute, int perHour)
    {
        if (emails == 0)
        {
            return "nothing to send";
        }
        var minutes = Math.Max(Math.Ceiling(emails / (double)perMinute), (Math.Ceiling(emails / (double)perHour) - 1) * 60 + 1);
        return minutes <= 1 ? "under a minute" : minutes < 120 ? $"about {minutes:0} minutes" : $"about {minutes / 60:0.#} hours";
    }

    private static Task<IResult> Pairs(HttpContext http, string cohortId, string? filter, string? q, string? sort, string? page, string? size, [AsParameters] ApiServices services, CancellationToken ct) =>
        PairBoardAsync(http, cohortId, filter, q, sort, page, size, services, null, ct);

    /// <summary>The board with its filter and search; after a bulk action, what it did (<c>ok</c> and <c>refused</c> counts, numbers only).</summary>
    private static Task<IResult> PairBoardAsync(HttpContext http, string cohortId, string? filter, string? q, string? sort, string? page, string? size,
        ApiServices services, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "pairs", services, ct, async (context, _) =>
        {
            var all = await ListPairsAsync(cohortId, services, ct);
            var chosen = PairFilters.All.Any(f => f.Filter == filter) ? filter! : "";
            var query = (q ?? "").Trim();
            query = query.Length > 100 ? query[..100] : query;
            var outcome = http.Request.Query["done"] == "bulk" && int.TryParse(http.Request.Query["ok"], out var ok) && int.TryParse(http.Request.Query["refused"], out var refused)
                ? (Math.Max(ok, 0), Math.Max(refused, 0))
                : ((int, int)?)null;
            var about = query.Length == 0 ? new Dictionary<string, string>() : await AboutAsync(cohortId, services, ct);
            var order = PairSorts.Any(s => s.Sort == sort) ? sort! : "";
            return ConsolePages.Page<Pages.PairBoard>(context, new PairBoardModel(Paging.Of(Shown(all, chosen, query, about, order), page, size), all.Count, chosen,
                PairFilters.All.ToDictionary(f => f.Filter, f => all.Count(p => PairFilters.Matches(p, f.Filter))), query, outcome, problem) { Sort = order },
                problem?.Status ?? StatusCodes.Status200OK);
        });

    private static Task<IResult> Pair(HttpContext http, string cohortId, string pairId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct) =>
        PairPageAsync(http, cohortId, pairId, services, workflow, null, ct);

    private static async Task<IResult> InterveneAsync(HttpContext http, string cohortId, string pairId, string action, ApiServices services, WorkflowServices workflow, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var result = action switch
        {
            "pause" => (await PairsApi.PausePair(cohortId, pairId, services, workflow, ct)).Result,
            "resume" => (await PairsApi.ResumePair(cohortId, pairId, services, workflow, ct)).Result,
            "resend" => (await PairsApi.ResendToPair(cohortId, pairId, services, workflow, ct)).Result,
            "cancel" => (await PairsApi.CancelAsync(cohortId, pairId, new CancelRequest(form.GetValueOrDefault("reason")), services, workflow, ct)).Result,
            _ => (await PairsApi.RematchAsync(cohortId, pairId, form.GetValueOrDefault("mentorId").ToString() is { Length: > 0 } id ? id : null, services, workflow, ct)).Result,
        };
        var notice = action switch { "pause" => "paused", "resume" => "resumed", "resend" => "resent", "cancel" => "cancelled", _ => "rematched" };
        return await AnswerAsync<PairResponse>(result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/pairs/{pairId}", notice)),
            problem => PairPageAsync(http, cohortId, pairId, services, workflow, problem, ct));
    }

    private static Task<IResult> PairPageAsync(HttpContext http, string cohortId, string pairId, ApiServices services, WorkflowServices workflow, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "pairs", services, ct, async (context, _) =>
        {
            if ((await PairsApi.GetPair(cohortId, pairId, services, ct)).Result is not Ok<PairResponse> { Value: { } pair })
            {
                return ConsolePages.Message("Pair not found", $"There is no pair '{pairId}' in this cohort.", StatusCodes.Status404NotFound);
            }
            IReadOnlyList<RematchOption> candidates = [];
            if (!pair.IsTerminal && await services.Store.ReadCohortAsync(cohortId, ct) is { } stored && await services.Store.ReadPairAsync(cohortId, pairId, ct) is { } current)
            {
                var pairs = (await services.Store.ListPairsAsync(cohortId, ct)).Select(d => d.Pair).ToList();
                candidates = [.. Rematching.Candidates(stored.Cohort, current.Pair, await workflow.Facts.ParticipantsAsync(cohortId, ct), pairs)
                    .Select(c => new RematchOption(c.Mentor.Id, c.Mentor.FullName, c.Mentor.Institution, c.Score, c.Reasons))];
            }
            return ConsolePages.Page<Pages.PairDetail>(context, new PairDetailModel(pair, candidates, problem), problem?.Status ?? StatusCodes.Status200OK);
        });

    private static async Task<IResult> AdvanceClock(HttpContext http, TimeProvider time, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var back = ConsoleAccess.LocalReturnUrl(form.GetValueOrDefault("returnUrl"));
        return Answer<ClockResponse>((await PairsApi.AdvanceAsync(form.GetValueOrDefault("advance"), time, workflow, ct)).Result,
            _ => ConsolePages.Done(back, "clock"),
            problem => ConsolePages.Message("The clock did not move", problem.Errors.Values.SelectMany(m => m).FirstOrDefault() ?? problem.Title, problem.Status));
    }
}
