using System.Text.Json.Nodes;
using MentorFlow.Functions.Workflow;
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
        return TypedResults.Created($"/api/cohorts/{cohort.Id}", Views.Cohort(Store.CohortDocument.From(cohort), services));
    }

    public static async Task<Ok<JsonArray>> ListCohorts([AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohorts = await services.Store.ListCohortsAsync(ct);
        return TypedResults.Ok(new JsonArray([.. cohorts.Select(c => (JsonNode)Views.Cohort(c, services))]));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetCohort(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var stored = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        return stored is null ? Problems.NotFound($"No cohort '{cohortId}'.") : TypedResults.Ok(Views.Cohort(stored, services));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> OpenIntake(string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        CohortResults.Map(await workflow.ApplyAsync(cohortId, new CohortEvent.IntakeOpened(), "admin", ct), cohortId,
            applied => TypedResults.Ok(Views.Cohort(applied.Document!, services)));

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> CloseIntake(string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        CohortResults.Map(await workflow.ApplyAsync(cohortId, new CohortEvent.IntakeClosed(), "admin", ct), cohortId,
            applied => TypedResults.Ok(Views.Cohort(applied.Document!, services)));

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
}
