using System.Text.Json.Nodes;
using MentorFlow.Shared.Cohorts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public static class CohortsApi
{
    public static IEndpointRouteBuilder MapCohortsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts").AddEndpointFilter<AdminKeyFilter>().WithTags("Cohorts");
        api.MapPost("/", CreateCohort).WithName(nameof(CreateCohort));
        api.MapGet("/", ListCohorts).WithName(nameof(ListCohorts));
        api.MapGet("/{cohortId}", GetCohort).WithName(nameof(GetCohort));
        api.MapPost("/{cohortId}/intake/open", OpenIntake).WithName(nameof(OpenIntake));
        api.MapPost("/{cohortId}/intake/close", CloseIntake).WithName(nameof(CloseIntake));
        api.MapGet("/{cohortId}/participants", ListParticipants).WithName(nameof(ListParticipants));
        return app;
    }

    public static async Task<Results<Created<JsonObject>, ProblemHttpResult>> CreateCohort(
        HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<CohortForm>(request, services.Settings.MaxBodyBytes, ct);
        if (!body.Succeeded)
        {
            return body.Failure!;
        }
        var validated = CohortRules.Validate(body.Value, Ids.NewCohortId(body.Value!.Name ?? ""), services.Time.GetUtcNow());
        if (!validated.IsValid)
        {
            return Problems.Invalid(validated.Errors);
        }
        var cohort = validated.Value!;
        await services.Store.CreateCohortAsync(cohort, ct);
        return TypedResults.Created($"/api/cohorts/{cohort.Id}", Views.Cohort(cohort, services));
    }

    public static async Task<Ok<JsonArray>> ListCohorts([AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohorts = await services.Store.ListCohortsAsync(ct);
        return TypedResults.Ok(new JsonArray([.. cohorts.Select(c => (JsonNode)Views.Cohort(c, services))]));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetCohort(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var stored = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        return stored is null ? Problems.NotFound($"No cohort '{cohortId}'.") : TypedResults.Ok(Views.Cohort(stored.Value, services));
    }

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> OpenIntake(string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        Transition(cohortId, new CohortCommand.OpenIntake(), services, ct);

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> CloseIntake(string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        Transition(cohortId, new CohortCommand.CloseIntake(), services, ct);

    public static async Task<Results<Ok<JsonArray>, ProblemHttpResult>> ListParticipants(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var stored = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (stored is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var participants = await services.Store.ListParticipantsAsync(cohortId, ct);
        return TypedResults.Ok(new JsonArray([.. participants
            .OrderBy(p => p.Participant.RegisteredAt)
            .Select(p => (JsonNode)Views.Participant(p))]));
    }

    /// <summary>Read → decide → write with IfMatch; a lost race re-reads and decides again.</summary>
    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Transition(
        string cohortId, CohortCommand command, ApiServices services, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
            if (stored is null)
            {
                return Problems.NotFound($"No cohort '{cohortId}'.");
            }
            switch (CohortDecider.Decide(stored.Value, command, services.Time.GetUtcNow()))
            {
                case CohortDecision.Rejected rejected:
                    return Problems.Conflict(rejected.Reason);
                case CohortDecision.Accepted accepted:
                    if (await services.Store.ReplaceCohortAsync(accepted.Cohort, stored.ETag, ct) is { } written)
                    {
                        return TypedResults.Ok(Views.Cohort(written.Value, services));
                    }
                    break;
            }
        }
        return Problems.Conflict("The cohort is being changed by someone else; try again.");
    }
}
