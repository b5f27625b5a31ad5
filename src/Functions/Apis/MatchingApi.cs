using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
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

    public static async Task<Results<Created<JsonObject>, ProblemHttpResult>> ProposeMatching(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
            if (cohort is null)
            {
                return Problems.NotFound($"No cohort '{cohortId}'.");
            }
            if (CohortDecider.Decide(cohort.Value, new CohortCommand.SteerMatching(), services.Time.GetUtcNow()) is CohortDecision.Rejected rejected)
            {
                return Problems.Conflict(rejected.Reason);
            }
            var participants = await services.Store.ListParticipantsAsync(cohortId, ct);
            var steering = (await services.Store.ReadSteeringAsync(cohortId, ct)).Steering;
            var latest = await services.Store.LatestProposalAsync(cohortId, ct);
            var result = Matcher.Match(cohort.Value, participants.Select(p => p.Participant), steering);
            var version = (latest?.Version ?? 0) + 1;
            var document = new ProposalDocument(ProposalDocument.IdFor(version), cohortId, version, services.Time.GetUtcNow(), steering, result);
            if (await services.Store.CreateProposalAsync(document, ct))
            {
                return TypedResults.Created($"/api/cohorts/{cohortId}/matching", View(document, cohort.Value, version));
            }
        }
        return Problems.Conflict("Another matching run is being stored; try again.");
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetMatching(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var latest = await services.Store.LatestProposalAsync(cohortId, ct);
        return latest is null
            ? Problems.NotFound("No matching proposal yet: POST to this route to compute one.")
            : TypedResults.Ok(View(latest, cohort.Value, latest.Version));
    }

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> PinPair(string cohortId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct) =>
        Steer(cohortId, request, services, pin: true, ct);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> ForbidPair(string cohortId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct) =>
        Steer(cohortId, request, services, pin: false, ct);

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ApproveMatching(string cohortId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
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
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
            if (cohort is null)
            {
                return Problems.NotFound($"No cohort '{cohortId}'.");
            }
            var latest = await services.Store.LatestProposalAsync(cohortId, ct);
            if (latest is null)
            {
                return Problems.Conflict("There is no proposal to approve: compute one first.");
            }
            var command = new CohortCommand.ApproveMatching(requested ?? latest.Version, latest.Version);
            switch (CohortDecider.Decide(cohort.Value, command, services.Time.GetUtcNow()))
            {
                case CohortDecision.Rejected rejected:
                    return Problems.Conflict(rejected.Reason);
                case CohortDecision.Accepted accepted:
                    if (await services.Store.ReplaceCohortAsync(accepted.Cohort, cohort.ETag, ct) is { } written)
                    {
                        return TypedResults.Ok(View(latest, written.Value, latest.Version));
                    }
                    break;
            }
        }
        return Problems.Conflict("The cohort is being changed by someone else; try again.");
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> RemoveParticipant(string cohortId, string participantId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
            var document = cohort is not null && Ids.IsWellFormed(participantId) ? await services.Store.ReadParticipantAsync(cohortId, participantId, ct) : null;
            if (cohort is null || document is null)
            {
                return Problems.NotFound($"No participant '{participantId}' in cohort '{cohortId}'.");
            }
            if (CohortDecider.Decide(cohort.Value, new CohortCommand.SteerMatching(), services.Time.GetUtcNow()) is CohortDecision.Rejected rejected)
            {
                return Problems.Conflict(rejected.Reason);
            }
            var removed = document with { Participant = document.Participant with { Status = ParticipantStatus.Removed } };
            if (await services.Store.ReplaceParticipantAsync(removed, ct) is { } written)
            {
                return TypedResults.Ok(Views.Participant(written));
            }
        }
        return Problems.Conflict("The participant is being changed by someone else; try again.");
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Steer(string cohortId, HttpRequest request, ApiServices services, bool pin, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<PairRequest>(request, services.Settings.MaxBodyBytes, ct);
        if (!body.Succeeded)
        {
            return body.Failure!;
        }
        var cohort = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        if (CohortDecider.Decide(cohort.Value, new CohortCommand.SteerMatching(), services.Time.GetUtcNow()) is CohortDecision.Rejected rejected)
        {
            return Problems.Conflict(rejected.Reason);
        }
        var errors = new ValidationErrors();
        var mentee = await Participant(services, cohortId, body.Value!.MenteeId, "menteeId", Role.Mentee, errors, ct);
        var mentor = await Participant(services, cohortId, body.Value.MentorId, "mentorId", Role.Mentor, errors, ct);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        var key = new PairKey(mentee!.Id, mentor!.Id);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await services.Store.ReadSteeringAsync(cohortId, ct);
            var steering = stored.Steering;
            var updated = pin
                ? new MatchingSteering([.. steering.Pins.Where(p => p != key), key], [.. steering.Forbids.Where(p => p != key)])
                : new MatchingSteering([.. steering.Pins.Where(p => p != key)], [.. steering.Forbids.Where(p => p != key), key]);
            if (await services.Store.WriteSteeringAsync(stored with { Steering = updated }, ct))
            {
                return TypedResults.Ok((JsonObject)JsonSerializer.SerializeToNode(updated, Json.Output)!);
            }
        }
        return Problems.Conflict("The matching settings are being changed by someone else; try again.");
    }

    private static async Task<Participant?> Participant(ApiServices services, string cohortId, string? id, string field, Role role, ValidationErrors errors, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id))
        {
            errors.Add(field, "Required: a participant id of this cohort.");
            return null;
        }
        var document = await services.Store.ReadParticipantAsync(cohortId, id!, ct);
        if (document is null || document.Participant.Status != ParticipantStatus.Registered)
        {
            errors.Add(field, "No registered participant with this id in this cohort.");
            return null;
        }
        if (document.Participant.Role != role)
        {
            errors.Add(field, $"This participant is not a {Words.Of(role)}.");
            return null;
        }
        return document.Participant;
    }

    private static JsonObject View(ProposalDocument proposal, Cohort cohort, int version)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(proposal.Result, Json.Output)!;
        node["version"] = version;
        node["createdAt"] = proposal.CreatedAt.ToString("O");
        node["status"] = cohort.ApprovedProposal == version ? "approved" : cohort.ApprovedProposal is null ? "proposed" : "superseded";
        node["steering"] = JsonSerializer.SerializeToNode(proposal.Steering, Json.Output);
        return node;
    }
}
