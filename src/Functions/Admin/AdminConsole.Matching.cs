using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Matching;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Admin;

public static partial class AdminConsole
{
    private static void MapMatching(RouteGroupBuilder console)
    {
        console.MapGet("/cohorts/{cohortId:id}/matching", Matching);
        console.MapPost("/cohorts/{cohortId:id}/matching", RunMatching);
        console.MapPost("/cohorts/{cohortId:id}/matching/steer", SteerMatching);
        console.MapPost("/cohorts/{cohortId:id}/matching/unsteer", UnsteerMatching);
        console.MapGet("/cohorts/{cohortId:id}/matching/approve", ConfirmApproval);
        console.MapPost("/cohorts/{cohortId:id}/matching/approve", Approve);
    }

    private static Task<IResult> Matching(HttpContext http, string cohortId, int? compare, [AsParameters] ApiServices services, CancellationToken ct) =>
        MatchingPageAsync(http, cohortId, compare, services, null, ct);

    private static async Task<IResult> RunMatching(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CohortFacts facts, CancellationToken ct) =>
        await AnswerAsync<ProposalResponse>((await MatchingApi.ProposeMatching(cohortId, services, workflow, facts, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/matching", "matched")),
            problem => MatchingPageAsync(http, cohortId, null, services, problem, ct));

    private static async Task<IResult> SteerMatching(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var steer = form.GetValueOrDefault("steer").ToString() == "forbid" ? Steer.Forbid : Steer.Pin;
        var result = await MatchingApi.SteerAsync(cohortId, steer, new PairRequest(form.GetValueOrDefault("menteeId"), form.GetValueOrDefault("mentorId")), services, workflow, ct);
        return await AnswerAsync<SteeringResponse>(result.Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/matching", steer == Steer.Pin ? "pinned" : "forbidden")),
            problem => MatchingPageAsync(http, cohortId, null, services, problem, ct));
    }

    private static async Task<IResult> UnsteerMatching(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var (menteeId, mentorId) = (form.GetValueOrDefault("menteeId").ToString(), form.GetValueOrDefault("mentorId").ToString());
        if (!Ids.IsWellFormed(menteeId) || !Ids.IsWellFormed(mentorId))
        {
            return await MatchingPageAsync(http, cohortId, null, services, null, ct);
        }
        return await AnswerAsync<SteeringResponse>((await MatchingApi.ClearSteering(cohortId, menteeId, mentorId, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/matching", "unsteered")),
            problem => MatchingPageAsync(http, cohortId, null, services, problem, ct));
    }

    private static Task<IResult> ConfirmApproval(HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        ApprovalPageAsync(http, cohortId, services, null, ct);

    private static async Task<IResult> Approve(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        int? version = int.TryParse(form.GetValueOrDefault("version"), out var v) ? v : null;
        return await AnswerAsync<ProposalResponse>((await MatchingApi.ApproveAsync(cohortId, version, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/launch", "approved")),
            problem => ApprovalPageAsync(http, cohortId, services, problem, ct));
    }

    private static Task<IResult> ApprovalPageAsync(HttpContext http, string cohortId, ApiServices services, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "matching", services, ct, async (context, _) =>
            (await MatchingApi.GetMatching(cohortId, services, ct)).Result is Ok<ProposalResponse> { Value: { } latest }
                ? ConsolePages.Page<Pages.ApproveConfirm>(context, new ApproveModel(latest, problem), problem?.Status ?? StatusCodes.Status200OK)
                : ConsolePages.Done($"/console/cohorts/{cohortId}/matching", "matched"));

    private static Task<IResult> MatchingPageAsync(HttpContext http, string cohortId, int? compare, ApiServices services, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "matching", services, ct, async (context, cohort) =>
        {
            var latest = (await MatchingApi.GetMatching(cohortId, services, ct)).Result is Ok<ProposalResponse> { Value: { } p } ? p : null;
            var versions = latest is null ? [] : Enumerable.Range(1, latest.Version).ToList();
            ProposalDiff? diff = null;
            var from = compare is { } c && c >= 1 && c < (latest?.Version ?? 0) ? c : latest?.Version - 1;
            if (latest is not null && from >= 1
                && await services.Store.ReadProposalAsync(cohortId, from.Value, ct) is { } older
                && await services.Store.ReadProposalAsync(cohortId, latest.Version, ct) is { } newer)
            {
                diff = ProposalDiff.Between(older.Version, older.Result, newer.Version, newer.Result);
            }
            var stored = await services.Store.ReadCohortAsync(cohortId, ct);
            var registered = (await ListParticipantsAsync(cohortId, services, ct)).Where(p => p.Status == "registered").OrderBy(p => p.FullName, StringComparer.CurrentCulture).ToList();
            return ConsolePages.Page<Pages.MatchingReview>(context, new MatchingModel(latest, diff, versions,
                SteeringResponse.From(stored?.Cohort.Steering ?? MatchingSteering.None),
                [.. registered.Where(p => p.Role == "mentee")], [.. registered.Where(p => p.Role == "mentor")], problem), problem?.Status ?? StatusCodes.Status200OK);
        });
}
