using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Pages;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Intake;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

/// <summary>
/// A person's own registration, from the links in their emails: confirm it (the first email's link), and the manage page
/// (see it, withdraw, erase my data). GET shows a page with a button (mail scanners follow links; people press buttons);
/// POST does it. An admin may erase a participant too.
/// </summary>
public static class RegistrationApi
{
    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder app, bool development)
    {
        var links = app.MapGroup("").WithTags("Registration");
        links.MapGet("/c/{token}", ShowConfirmation).WithName(nameof(ShowConfirmation)).WithSummary("The page behind the first email's link: one button confirms");
        links.MapPost("/c/{token}", Confirm).WithName(nameof(Confirm)).WithSummary("Confirm a registration");
        links.MapGet("/m/{token}", ShowManage).WithName(nameof(ShowManage)).WithSummary("A person's manage page: their registration, withdraw, erase my data");
        links.MapGet("/m/{token}/edit", ShowEdit).WithName(nameof(ShowEdit)).WithSummary("The registration form, prefilled, while intake is open");
        links.MapPost("/m/{token}/edit", Edit).WithName(nameof(Edit)).WithSummary("Change one's registration while intake is open");
        links.MapGet("/m/{token}/survey", ShowSurveyChange).WithName(nameof(ShowSurveyChange)).WithSummary("Change one's survey answer before the survey closes");
        links.MapPost("/m/{token}/survey", ChangeSurvey).WithName(nameof(ChangeSurvey)).WithSummary("Record a changed survey answer");
        links.MapPost("/m/{token}/withdraw", Withdraw).WithName(nameof(Withdraw)).WithSummary("Withdraw: out of the pool, or out of the pair (the partner is told)");
        links.MapPost("/m/{token}/erase", EraseMine).WithName(nameof(EraseMine)).WithSummary("Erase my data everywhere it was copied");
        app.MapDelete("/api/cohorts/{cohortId:id}/participants/{participantId:id}", EraseParticipant).AddEndpointFilter<AdminKeyFilter>()
            .WithName(nameof(EraseParticipant)).WithTags("Cohorts").WithSummary("Erase a participant's personal data everywhere it was copied");
        if (development)
        {
            app.MapPost("/api/dev/cohorts/{cohortId:id}/participants/confirm", ConfirmAll).AddEndpointFilter<AdminKeyFilter>()
                .WithName(nameof(ConfirmAll)).WithTags("Development").WithSummary("Development only: confirm every unconfirmed registration (the demo seed, tests)");
        }
        return app;
    }

    public static async Task<RazorComponentResult> ShowConfirmation(string token, ResponseTokens tokens, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (_, participant, problem) = await ResolveAsync(token, TokenPurpose.Confirm, tokens, services, ct);
        return problem ?? ParticipantPages.Show<ConfirmRegistration>(new { participant!.Participant, Action = $"/c/{token}" });
    }

    public static async Task<RazorComponentResult> Confirm(string token, HttpContext context, ResponseTokens tokens, ParticipantWorkflow workflow, Hosting.ClientLimits limits,
        [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, participant, problem) = await ResolveAsync(token, TokenPurpose.Confirm, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (!limits.TryAcquire(Hosting.ClientLimit.Confirmation, context))
        {
            context.Response.Headers.RetryAfter = "60";
            return ParticipantPages.Message("Please wait a minute", "Too many confirmations from this address; try again in a minute.", StatusCodes.Status429TooManyRequests);
        }
        var (_, decision) = await workflow.ApplyAsync(grant!.CohortId, grant.ParticipantId, new ParticipantEvent.Confirmed(), ct);
        services.Outbox.Notify(grant.CohortId);
        return decision is ParticipantDecision.Accepted
            ? ParticipantPages.Message("You are registered", $"Thank you, {participant!.Participant.FirstName}: your registration is confirmed. A receipt with your manage link is on its way.", StatusCodes.Status200OK)
            : ParticipantPages.Message("Not confirmed", "This registration can no longer be confirmed (it was withdrawn or removed).", StatusCodes.Status409Conflict);
    }

    public static async Task<RazorComponentResult> ShowManage(string token, ResponseTokens tokens, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (_, document, problem) = await ResolveAsync(token, TokenPurpose.Manage, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        return ParticipantPages.Show<ManageRegistration>(new { document!.Participant, Action = $"/m/{token}" });
    }

    public static async Task<RazorComponentResult> ShowEdit(string token, ResponseTokens tokens, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, document, problem) = await ResolveAsync(token, TokenPurpose.Manage, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        var cohort = (await services.Store.ReadCohortAsync(grant!.CohortId, ct))!.Cohort;
        return cohort.Status == Shared.Cohorts.CohortStatus.IntakeOpen
            ? ParticipantPages.Show<JoinForm>(new { Cohort = cohort, Values = IntakeFields.FieldsOf(document!.Participant), EditAction = $"/m/{token}/edit" })
            : ParticipantPages.Message("Intake is closed", "Your registration can be changed only while intake is open; please write to the program team.", StatusCodes.Status409Conflict);
    }

    public static async Task<RazorComponentResult> Edit(string token, HttpRequest request, ResponseTokens tokens, ParticipantWorkflow workflow,
        [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, document, problem) = await ResolveAsync(token, TokenPurpose.Manage, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        var body = await RequestBodies.ReadJsonOrFormAsync(request, services.Settings.MaxBodyBytes, IntakeFields.FromForm, ct);
        if (!body.Succeeded || body.Kind != BodyKind.Form)
        {
            return ParticipantPages.Message("Not saved", "Please use the form on your manage page.", StatusCodes.Status400BadRequest);
        }
        var cohort = (await services.Store.ReadCohortAsync(grant!.CohortId, ct))!.Cohort;
        var form = body.Value! with { Email = document!.Participant.Email };
        var open = cohort.Status == Shared.Cohorts.CohortStatus.IntakeOpen;
        switch (IntakeRules.Decide(cohort with { Status = Shared.Cohorts.CohortStatus.IntakeOpen }, form, services.Time.GetUtcNow(), services.Settings.ParticipantIdSecret()))
        {
            case IntakeDecision.Invalid invalid:
                return ParticipantPages.Show<JoinForm>(new { Cohort = cohort, Values = body.FormFields, Errors = invalid.Errors.ToDictionary(), EditAction = $"/m/{token}/edit" }, StatusCodes.Status400BadRequest);
            case IntakeDecision.Admitted admitted:
                var (_, decision) = await workflow.ApplyAsync(grant.CohortId, grant.ParticipantId, new ParticipantEvent.Edited(admitted.Participant, open), ct);
                return decision is ParticipantDecision.Rejected rejected
                    ? ParticipantPages.Message("Not saved", rejected.Reason, StatusCodes.Status409Conflict)
                    : ParticipantPages.Message("Saved", "Your registration is changed. The program team matches with what you see now.", StatusCodes.Status200OK);
            default:
                return ParticipantPages.Message("Not saved", "Your registration can be changed only while intake is open.", StatusCodes.Status409Conflict);
        }
    }

    public static async Task<RazorComponentResult> ShowSurveyChange(string token, ResponseTokens tokens, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, _, problem) = await ResolveAsync(token, TokenPurpose.Manage, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        var pair = await AnsweredPairAsync(grant!, services, ct);
        return pair is null
            ? ParticipantPages.Message("Nothing to change", "You have no survey answer to change.", StatusCodes.Status404NotFound)
            : ParticipantPages.Show<SurveyForm>(new { Member = Me(pair, grant!), Partner = Partner(pair, grant!), Action = $"/m/{token}/survey",
                Questions = await ResponseApi.SurveyQuestionsAsync(grant!.CohortId, services, ct) });
    }

    public static async Task<RazorComponentResult> ChangeSurvey(string token, HttpRequest request, ResponseTokens tokens, PairWorkflow workflow,
        Hosting.ClientLimits limits, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, _, problem) = await ResolveAsync(token, TokenPurpose.Manage, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (!limits.TryAcquire(Hosting.ClientLimit.SurveyChange, request.HttpContext))
        {
            return ParticipantPages.Message("Please wait", "Too many changes in a short time; wait a minute and try again.", StatusCodes.Status429TooManyRequests);
        }
        var pair = await AnsweredPairAsync(grant!, services, ct);
        if (pair is null)
        {
            return ParticipantPages.Message("Nothing to change", "You have no survey answer to change.", StatusCodes.Status404NotFound);
        }
        var body = await RequestBodies.ReadJsonOrFormAsync(request, services.Settings.MaxBodyBytes, fields => fields, ct);
        var fields = body.Value ?? new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>();
        var cohort = (await services.Store.ReadCohortAsync(grant!.CohortId, ct))!.Cohort;
        var (answer, errors) = SurveyFields.Parse(fields, cohort.SurveyQuestions);
        if (answer is null)
        {
            return ParticipantPages.Show<SurveyForm>(new { Member = Me(pair, grant), Partner = Partner(pair, grant), Action = $"/m/{token}/survey", Questions = cohort.SurveyQuestions,
                Values = fields, Errors = errors.ToDictionary() }, StatusCodes.Status400BadRequest);
        }
        var (_, decision) = await workflow.ApplyAsync(grant.CohortId, pair.Id, Shared.Pairing.PairTerms.For(cohort),
            (_, _) => new Shared.Pairing.PairEvent.SurveyChanged(grant.ParticipantId, answer), Me(pair, grant).Name, ct);
        return decision switch
        {
            Shared.Pairing.PairDecision.Accepted => ParticipantPages.Message("Thank you", "Your changed survey answer is recorded.", StatusCodes.Status200OK),
            Shared.Pairing.PairDecision.Rejected when pair.SurveyChanges.GetValueOrDefault(grant.ParticipantId) >= Shared.Pairing.PairDecider.MaxAnswerChanges =>
                ParticipantPages.Message("Not recorded", $"You have changed your survey answer {Shared.Pairing.PairDecider.MaxAnswerChanges} times already; your last answer stands.", StatusCodes.Status409Conflict),
            _ => ParticipantPages.Message("Not recorded", "The survey has closed; your first answer stands.", StatusCodes.Status409Conflict),
        };
    }

    private static async Task<Shared.Pairing.Pair?> AnsweredPairAsync(ResponseGrant grant, ApiServices services, CancellationToken ct) =>
        (await services.Store.PairsOfAsync(grant.CohortId, grant.ParticipantId, ct)).Select(d => d.Pair)
            .Where(p => p.Survey.ContainsKey(grant.ParticipantId))
            .OrderByDescending(p => p.SurveySentAt).FirstOrDefault();

    private static Shared.Pairing.Member Me(Shared.Pairing.Pair pair, ResponseGrant grant) =>
        pair.Mentee.ParticipantId == grant.ParticipantId ? pair.Mentee : pair.Mentor;

    private static Shared.Pairing.Member Partner(Shared.Pairing.Pair pair, ResponseGrant grant) =>
        pair.Mentee.ParticipantId == grant.ParticipantId ? pair.Mentor : pair.Mentee;

    public static async Task<RazorComponentResult> Withdraw(string token, ResponseTokens tokens, Erasure erasure, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, _, problem) = await ResolveAsync(token, TokenPurpose.Manage, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        await erasure.WithdrawAsync(grant!.CohortId, grant.ParticipantId, "the participant", ct);
        services.Outbox.Notify(grant.CohortId);
        return ParticipantPages.Message("You have withdrawn", "You have withdrawn from the program and will get no further email from it. Your manage link still lets you erase your data.", StatusCodes.Status200OK);
    }

    public static async Task<RazorComponentResult> EraseMine(string token, HttpRequest request, ResponseTokens tokens, Erasure erasure, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, _, problem) = await ResolveAsync(token, TokenPurpose.Manage, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        if (form?["confirm"].ToString() != "yes")
        {
            return ParticipantPages.Message("Not erased", "Tick the box to confirm that you understand erasing cannot be undone, then press the button again.", StatusCodes.Status400BadRequest);
        }
        await erasure.EraseAsync(grant!.CohortId, grant.ParticipantId, "the participant", ct);
        services.Outbox.Notify(grant.CohortId);
        return ParticipantPages.Message("Your data is erased", "Your name, address and answers have been removed from everything the program keeps.", StatusCodes.Status200OK);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> EraseParticipant(
        string cohortId, string participantId, Erasure erasure, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!await erasure.EraseAsync(cohortId, participantId, services.Actor, ct))
        {
            return Problems.NotFound($"No participant '{participantId}' in cohort '{cohortId}'.");
        }
        await services.AuditAsync(cohortId, nameof(EraseParticipant), participantId, null, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ConfirmedResponse>, ProblemHttpResult>> ConfirmAll(
        string cohortId, ParticipantWorkflow workflow, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (await services.Store.ReadCohortAsync(cohortId, ct) is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var confirmed = 0;
        foreach (var participant in (await services.Store.ListParticipantsAsync(cohortId, ct)).Where(p => p.Participant.Status == ParticipantStatus.Unconfirmed))
        {
            confirmed += await workflow.ApplyAsync(cohortId, participant.Id, new ParticipantEvent.Confirmed(), ct) is (_, ParticipantDecision.Accepted) ? 1 : 0;
        }
        services.Outbox.Notify(cohortId);
        return TypedResults.Ok(new ConfirmedResponse(confirmed));
    }

    private static async Task<(ResponseGrant? Grant, ParticipantDocument? Participant, RazorComponentResult? Problem)> ResolveAsync(
        string token, TokenPurpose purpose, ResponseTokens tokens, ApiServices services, CancellationToken ct)
    {
        var (grant, problem) = tokens.Read(token, purpose);
        if (problem == TokenProblem.Malformed || grant is null)
        {
            return (null, null, ParticipantPages.InvalidLink());
        }
        if (problem == TokenProblem.Expired)
        {
            return (grant, null, ParticipantPages.Message("Link expired", purpose == TokenPurpose.Confirm
                ? "This confirmation link has expired. Please register again from the cohort's form."
                : "This link has expired. Please contact the program team.", StatusCodes.Status410Gone));
        }
        var document = await services.Store.ReadParticipantAsync(grant.CohortId, grant.ParticipantId, ct);
        return document is null
            ? (grant, null, ParticipantPages.Message("Nothing to show", "There is no registration for this link any more (it may have been erased).", StatusCodes.Status410Gone))
            : (grant, document, null);
    }
}
