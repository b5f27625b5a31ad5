using MentorFlow.Functions.Apis.Contracts;
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
        var api = app.MapGroup("/api/cohorts/{cohortId:id}").AddEndpointFilter<AdminKeyFilter>().WithTags("Matching");
        api.MapPost("/matching", ProposeMatching).WithName(nameof(ProposeMatching)).WithSummary("Compute a new proposal version over the registered participants, honouring pins and forbids");
        api.MapGet("/matching", GetMatching).WithName(nameof(GetMatching)).WithSummary("The latest proposal with its quality figures");
        api.MapPost("/matching/pins", PinPair).WithName(nameof(PinPair)).WithSummary("Keep a mentee and a mentor together in the next run").Accepts<PairRequest>("application/json");
        api.MapPost("/matching/forbids", ForbidPair).WithName(nameof(ForbidPair)).WithSummary("Never pair a mentee and a mentor in the next run").Accepts<PairRequest>("application/json");
        api.MapPost("/matching/approve", ApproveMatching).WithName(nameof(ApproveMatching)).WithSummary("Approve the latest proposal; its pairs are the ones the launch starts").Accepts<ApproveRequest>(true, "application/json");
        api.MapPost("/participants/{participantId:id}/remove", RemoveParticipant).WithName(nameof(RemoveParticipant)).WithSummary("Take a participant out of matching");
        api.MapPost("/participants/{participantId:id}/restore", RestoreParticipant).WithName(nameof(RestoreParticipant)).WithSummary("Undo an admin's removal: the participant is in the pool again");
        api.MapDelete("/matching/steering/{menteeId:id}/{mentorId:id}", ClearSteering).WithName(nameof(ClearSteering)).WithSummary("Take back a pin or a forbid of this mentee and mentor");
        return app;
    }

    public static async Task<Results<Created<ProposalResponse>, ProblemHttpResult>> ProposeMatching(
        string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CohortFacts facts, CancellationToken ct)
    {
        var applied = await services.ChangeCohortAsync(workflow, cohortId,
            async (cohort, _, token) => new CohortEvent.MatchingRequested(await facts.ParticipantsAsync(cohort.Id, token)), nameof(ProposeMatching), ct);
        return CohortResults.Map(applied, cohortId,
            a => TypedResults.Created($"/api/cohorts/{cohortId}/matching", ProposalResponse.From(a.Proposal!, a.Document!.Cohort)));
    }

    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> GetMatching(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var stored = await services.Store.ReadCohortAsync(cohortId, ct);
        if (stored is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var latest = stored.Cohort.LatestProposal is { } version ? await services.Store.ReadProposalAsync(cohortId, version, ct) : null;
        return latest is null
            ? Problems.NotFound("No matching proposal yet: POST to this route to compute one.")
            : TypedResults.Ok(ProposalResponse.From(latest, stored.Cohort));
    }

    public static Task<Results<Ok<SteeringResponse>, ProblemHttpResult>> PinPair(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        SteerAsync(cohortId, Steer.Pin, request, services, workflow, ct);

    public static Task<Results<Ok<SteeringResponse>, ProblemHttpResult>> ForbidPair(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        SteerAsync(cohortId, Steer.Forbid, request, services, workflow, ct);

    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> ApproveMatching(
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
        return await ApproveAsync(cohortId, requested, services, workflow, ct);
    }

    /// <summary>Approves the latest proposal; with <paramref name="requested"/>, only if that is still the latest.</summary>
    public static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> ApproveAsync(
        string cohortId, int? requested, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        ProposalDocument? latest = null;
        var applied = await services.ChangeCohortAsync(workflow, cohortId, async (cohort, _, token) =>
        {
            latest = cohort.LatestProposal is { } version ? await services.Store.ReadProposalAsync(cohortId, version, token) : null;
            return new CohortEvent.MatchingApproved(requested, latest?.Version);
        }, nameof(ApproveMatching), ct, detail: requested is { } v ? $"proposal {v}" : null);
        return CohortResults.Map(applied, cohortId, a => TypedResults.Ok(ProposalResponse.From(latest!, a.Document!.Cohort)));
    }

    public static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> RemoveParticipant(
        string cohortId, string participantId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var participant = await services.Store.ReadParticipantAsync(cohortId, participantId, ct);
        if (participant is null)
        {
            return Problems.NotFound($"No participant '{participantId}' in cohort '{cohortId}'.");
        }
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.ParticipantRemoved(participant.Participant), nameof(RemoveParticipant), ct, participantId), cohortId,
            applied => TypedResults.Ok(ParticipantResponse.From(applied.Removed ?? participant)));
    }

    public static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> RestoreParticipant(
        string cohortId, string participantId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var participant = await services.Store.ReadParticipantAsync(cohortId, participantId, ct);
        if (participant is null)
        {
            return Problems.NotFound($"No participant '{participantId}' in cohort '{cohortId}'.");
        }
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.ParticipantRestored(participant.Participant), nameof(RestoreParticipant), ct, participantId), cohortId,
            applied => TypedResults.Ok(ParticipantResponse.From(applied.Removed ?? participant)));
    }

    public static async Task<Results<Ok<SteeringResponse>, ProblemHttpResult>> ClearSteering(
        string cohortId, string menteeId, string mentorId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.SteeringCleared(menteeId, mentorId), nameof(ClearSteering), ct,
            detail: $"mentee {menteeId}, mentor {mentorId}"), cohortId,
            applied => TypedResults.Ok(SteeringResponse.From(applied.Document!.Cohort.Steering)));

    private static async Task<Results<Ok<SteeringResponse>, ProblemHttpResult>> SteerAsync(
        string cohortId, Steer steer, HttpRequest request, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<PairRequest>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await SteerAsync(cohortId, steer, body.Value!, services, workflow, ct) : body.Failure!;
    }

    /// <summary>Pins or forbids a mentee–mentor pair for the next run (the API's JSON and the console's form both come here).</summary>
    public static async Task<Results<Ok<SteeringResponse>, ProblemHttpResult>> SteerAsync(
        string cohortId, Steer steer, PairRequest pair, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var mentee = await ParticipantAsync(services, cohortId, pair.MenteeId, "menteeId", errors, ct);
        var mentor = await ParticipantAsync(services, cohortId, pair.MentorId, "mentorId", errors, ct);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.PairSteered(steer, mentee, mentor), steer == Steer.Pin ? nameof(PinPair) : nameof(ForbidPair), ct,
            detail: $"mentee {pair.MenteeId}, mentor {pair.MentorId}"), cohortId,
            applied => TypedResults.Ok(SteeringResponse.From(applied.Document!.Cohort.Steering)));
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
}
