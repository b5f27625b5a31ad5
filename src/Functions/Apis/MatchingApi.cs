using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public sealed record PairRequest(string? MenteeId, string? MentorId);

public sealed record ApproveRequest(int? Version);

/// <summary>Run, steer and approve matching: compute a proposal, pin and forbid pairs, remove people, re-run, approve.</summary>
public static class MatchingApi
{
    public static IEndpointRouteBuilder MapMatchingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId}").AddEndpointFilter<AdminKeyFilter>().WithTags("Matching");
        api.MapPost("/matching", ProposeMatching).WithName(nameof(ProposeMatching));
        api.MapGet("/matching", GetMatching).WithName(nameof(GetMatching));
        api.MapPost("/matching/pins", PinPair).WithName(nameof(PinPair));
        api.MapPost("/matching/forbids", ForbidPair).WithName(nameof(ForbidPair));
        api.MapPost("/matching/approve", ApproveMatching).WithName(nameof(ApproveMatching));
        api.MapPost("/participants/{participantId}/remove", RemoveParticipant).WithName(nameof(RemoveParticipant));
        return app;
    }

    public static async Task<Results<Created<JsonObject>, ProblemHttpResult>> ProposeMatching(
        string cohortId, CohortWorkflow workflow, CohortFacts facts, CancellationToken ct)
    {
        var applied = Ids.IsWellFormed(cohortId)
            ? await workflow.ApplyAsync(cohortId, async (cohort, _, token) => new CohortEvent.MatchingRequested(await facts.ParticipantsAsync(cohort.Id, token)), "admin", ct)
            : new CohortApplied(null, null);
        return CohortResults.Map(applied, cohortId,
            a => TypedResults.Created($"/api/cohorts/{cohortId}/matching", View(a.Proposal!, a.Document!.Cohort)));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetMatching(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var stored = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (stored is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var latest = stored.Cohort.LatestProposal is { } version ? await services.Store.ReadProposalAsync(cohortId, version, ct) : null;
        return latest is null
            ? Problems.NotFound("No matching proposal yet: POST to this route to compute one.")
            : TypedResults.Ok(View(latest, stored.Cohort));
    }

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> PinPair(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        SteerAsync(cohortId, Steer.Pin, request, services, workflow, ct);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> ForbidPair(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        SteerAsync(cohortId, Steer.Forbid, request, services, workflow, ct);

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ApproveMatching(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        int? requested = null;
        if (request.ContentLength > 0)
        {
            var body = await RequestBodies.ReadJsonAsync<ApproveRequest>(request, services.Settings.MaxBodyBytes, ct);
            if (!body.Succeeded)
            {
                return body.Failure!;
            }
            requested = body.Value!.Version;
        }
        ProposalDocument? latest = null;
        var applied = Ids.IsWellFormed(cohortId)
            ? await workflow.ApplyAsync(cohortId, async (cohort, _, token) =>
            {
                latest = cohort.LatestProposal is { } version ? await services.Store.ReadProposalAsync(cohortId, version, token) : null;
                return new CohortEvent.MatchingApproved(requested, latest?.Version);
            }, "admin", ct)
            : new CohortApplied(null, null);
        return CohortResults.Map(applied, cohortId, a => TypedResults.Ok(View(latest!, a.Document!.Cohort)));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> RemoveParticipant(
        string cohortId, string participantId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var participant = Ids.IsWellFormed(cohortId) && Ids.IsWellFormed(participantId) ? await services.Store.ReadParticipantAsync(cohortId, participantId, ct) : null;
        if (participant is null)
        {
            return Problems.NotFound($"No participant '{participantId}' in cohort '{cohortId}'.");
        }
        return CohortResults.Map(await workflow.ApplyAsync(cohortId, new CohortEvent.ParticipantRemoved(participant.Participant), "admin", ct), cohortId,
            applied => TypedResults.Ok(Views.Participant(applied.Removed ?? participant)));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> SteerAsync(
        string cohortId, Steer steer, HttpRequest request, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<PairRequest>(request, services.Settings.MaxBodyBytes, ct);
        if (!body.Succeeded)
        {
            return body.Failure!;
        }
        if (!Ids.IsWellFormed(cohortId))
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var errors = new ValidationErrors();
        var mentee = await ParticipantAsync(services, cohortId, body.Value!.MenteeId, "menteeId", errors, ct);
        var mentor = await ParticipantAsync(services, cohortId, body.Value.MentorId, "mentorId", errors, ct);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        return CohortResults.Map(await workflow.ApplyAsync(cohortId, new CohortEvent.PairSteered(steer, mentee, mentor), "admin", ct), cohortId,
            applied => TypedResults.Ok((JsonObject)JsonSerializer.SerializeToNode(applied.Document!.Cohort.Steering, Json.Output)!));
    }

    /// <summary>The participant a steering request names; whether they may be steered is the decider's to say.</summary>
    private static async Task<Participant?> ParticipantAsync(ApiServices services, string cohortId, string? id, string field, ValidationErrors errors, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id))
        {
            errors.Add(field, "Required: a participant id of this cohort.");
            return null;
        }
        return (await services.Store.ReadParticipantAsync(cohortId, id!, ct))?.Participant;
    }

    private static JsonObject View(ProposalDocument proposal, Cohort cohort)
    {
        var version = proposal.Version;
        var node = (JsonObject)JsonSerializer.SerializeToNode(proposal.Result, Json.Output)!;
        node["version"] = version;
        node["createdAt"] = proposal.CreatedAt.ToString("O");
        node["status"] = cohort.ApprovedProposal == version ? "approved" : cohort.ApprovedProposal is null ? "proposed" : "superseded";
        node["steering"] = JsonSerializer.SerializeToNode(proposal.Steering, Json.Output);
        return node;
    }
}
