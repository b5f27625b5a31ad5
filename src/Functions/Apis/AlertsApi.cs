using MentorFlow.Shared;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public sealed record CaseNoteRequest(string? Note);

public sealed record CaseNoteResponse(DateTimeOffset At, string By, string Text);

/// <summary>A case: what the alert said, about which pair, its state, who owns it, and every note.</summary>
public sealed record AlertResponse(
    string Id, string Kind, string? PairId, int Month, string Detail, DateTimeOffset OpenedAt, string State, string? Owner,
    IReadOnlyList<CaseNoteResponse> Notes, DateTimeOffset? ResolvedAt)
{
    public static AlertResponse From(AlertCase c) => new(c.Id, Words.Of(c.Kind), c.PairId, c.Month, c.Detail, c.OpenedAt, Words.Of(c.State), c.Owner,
        [.. c.Notes.Select(n => new CaseNoteResponse(n.At, n.By, n.Text))], c.ResolvedAt);
}

/// <summary>Help requests, at-risk pairs, late introductions, withdrawals and failing emails as cases: open → acknowledged (an owner) → resolved (a note).</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId:id}/alerts").AddEndpointFilter<AdminKeyFilter>().WithTags("Alerts");
        api.MapGet("", ListAlerts).WithName(nameof(ListAlerts)).WithSummary("The cohort's cases, open first (?state=open|acknowledged|resolved)");
        api.MapGet("/{alertId:id}", GetAlert).WithName(nameof(GetAlert)).WithSummary("One case with its notes");
        api.MapPost("/{alertId:id}/acknowledge", AcknowledgeAlert).WithName(nameof(AcknowledgeAlert)).Accepts<CaseNoteRequest>(true, "application/json")
            .WithSummary("Take the case: you become its owner (an optional note)");
        api.MapPost("/{alertId:id}/resolve", ResolveAlert).WithName(nameof(ResolveAlert)).Accepts<CaseNoteRequest>("application/json")
            .WithSummary("Close the case with a note saying what was done");
        return app;
    }

    public static async Task<Results<Ok<AlertResponse[]>, ProblemHttpResult>> ListAlerts(string cohortId, string? state, [AsParameters] ApiServices services, CancellationToken ct)
    {
        CaseState? only = null;
        if (state is not null)
        {
            if (!Words.TryParse<CaseState>(state, out var parsed))
            {
                return Problems.Invalid("state", $"One of {Words.List<CaseState>()}.");
            }
            only = parsed;
        }
        if (await services.Store.ReadCohortAsync(cohortId, ct) is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var cases = (await services.Store.ListCasesAsync(cohortId, ct)).Select(d => d.Case).Where(c => only is null || c.State == only);
        return TypedResults.Ok(cases.OrderBy(c => c.State).ThenByDescending(c => c.OpenedAt).Select(AlertResponse.From).ToArray());
    }

    public static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> GetAlert(string cohortId, string alertId, [AsParameters] ApiServices services, CancellationToken ct) =>
        await services.Store.ReadCaseAsync(cohortId, alertId, ct) is { } found
            ? TypedResults.Ok(AlertResponse.From(found.Case))
            : Problems.NotFound($"No case '{alertId}' in cohort '{cohortId}'.");

    public static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> AcknowledgeAlert(
        string cohortId, string alertId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        string? note = null;
        if (request.ContentLength > 0)
        {
            var body = await RequestBodies.ReadJsonAsync<CaseNoteRequest>(request, services.Settings.MaxBodyBytes, ct);
            if (!body.Succeeded)
            {
                return body.Failure!;
            }
            note = body.Value!.Note;
        }
        return await ChangeAsync(cohortId, alertId, nameof(AcknowledgeAlert), note, AlertCases.Acknowledge, services, ct);
    }

    public static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> ResolveAlert(
        string cohortId, string alertId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<CaseNoteRequest>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await ChangeAsync(cohortId, alertId, nameof(ResolveAlert), body.Value!.Note, AlertCases.Resolve, services, ct) : body.Failure!;
    }

    public delegate (AlertCase? Case, ValidationErrors? Invalid, string? Refused) CaseChange(AlertCase alert, string by, string? note, DateTimeOffset now);

    /// <summary>Applies a case's rule as this admin with the case's ETag (a lost race re-reads), and records it in the audit trail. The API and the console both come here.</summary>
    public static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> ChangeAsync(
        string cohortId, string alertId, string action, string? note, CaseChange change, ApiServices services, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await services.Store.ReadCaseAsync(cohortId, alertId, ct) is not { } found)
            {
                return Problems.NotFound($"No case '{alertId}' in cohort '{cohortId}'.");
            }
            var (changed, invalid, refused) = change(found.Case, services.Actor, note, services.Time.GetUtcNow());
            if (invalid is not null)
            {
                return Problems.Invalid(invalid);
            }
            if (refused is not null)
            {
                return Problems.Conflict(refused);
            }
            if (await services.Store.ReplaceCaseAsync(found with { Case = changed! }, ct) is { } written)
            {
                await services.AuditAsync(cohortId, action, written.Case.PairId ?? alertId, changed!.Notes[^1].Text, ct);
                return TypedResults.Ok(AlertResponse.From(written.Case));
            }
        }
        return Problems.Conflict("The case kept changing; try again.");
    }
}
