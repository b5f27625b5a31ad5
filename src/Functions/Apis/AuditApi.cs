using MentorFlow.Functions.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

/// <summary>One admin action: when, who, the operation (the API's operation name), on which pair or participant, and why.</summary>
public sealed record AuditEntryResponse(DateTimeOffset At, string Actor, string Action, string? Target, string? Detail)
{
    public static AuditEntryResponse From(AuditDocument entry) => new(entry.At, entry.Actor, entry.Action, entry.Target, entry.Detail);
}

/// <summary>The cohort's audit trail: every admin action on it, oldest first.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cohorts/{cohortId:id}/audit", Audit).AddEndpointFilter<AdminKeyFilter>().WithTags("Cohorts").WithName(nameof(Audit))
            .WithSummary("Who did what to the cohort, its pairs and its people, when and why (?target= one pair's or participant's entries)");
        return app;
    }

    public static async Task<Results<Ok<AuditEntryResponse[]>, ProblemHttpResult>> Audit(string cohortId, string? target, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (await services.Store.ReadCohortAsync(cohortId, ct) is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var entries = await services.Store.ListAuditAsync(cohortId, ct);
        return TypedResults.Ok(entries.Where(e => target is null || e.Target == target).Select(AuditEntryResponse.From).ToArray());
    }
}
