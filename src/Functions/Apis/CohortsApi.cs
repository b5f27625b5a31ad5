using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Cohorts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

/// <summary>Create, list and read cohorts; open and close their intake; list their participants.</summary>
public static class CohortsApi
{
    public static IEndpointRouteBuilder MapCohortsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts").AddEndpointFilter<AdminKeyFilter>().WithTags("Cohorts");
        api.MapPost("/", CreateCohort).WithName(nameof(CreateCohort)).WithSummary("Create a cohort (draft), every field checked").Accepts<CohortForm>("application/json");
        api.MapGet("/", ListCohorts).WithName(nameof(ListCohorts)).WithSummary("Every cohort, newest first");
        api.MapPut("/{cohortId:id}", EditCohort).WithName(nameof(EditCohort)).WithSummary("Change a cohort's settings (every field checked, as at creation); until intake closes").Accepts<CohortForm>("application/json");
        api.MapPut("/{cohortId:id}/questions", SetQuestions).WithName(nameof(SetQuestions))
            .WithSummary("Set the cohort's own intake questions (text, choice, multiChoice; required or not), until intake closes").Accepts<List<Shared.Intake.QuestionForm>>("application/json");
        api.MapPut("/{cohortId:id}/pulse", SetPulse).WithName(nameof(SetPulse))
            .WithSummary("Set the mid-term pulse: one or two questions asked in one month's check-in; before launch, or during the term for a month no pair has reached").Accepts<Shared.Pairing.PulseForm>("application/json");
        api.MapPut("/{cohortId:id}/survey/questions", SetSurveyQuestions).WithName(nameof(SetSurveyQuestions))
            .WithSummary("Set the closing survey's own questions (at most five, after the standard ones); until launch").Accepts<List<Shared.Intake.QuestionForm>>("application/json");
        api.MapPut("/{cohortId:id}/branding", SetBranding).WithName(nameof(SetBranding))
            .WithSummary("Set the cohort's accent colour on participants' pages and emails (#rrggbb, 4.5:1 against white; null for the program's own); at any time").Accepts<BrandingRequest>("application/json");
        api.MapPut("/{cohortId:id}/logo", SetLogo).WithName(nameof(SetLogo))
            .WithSummary("Set the cohort's logo on participants' pages and emails: the image itself as the body (image/png or image/jpeg, at most 256 KB, 16 to 2000 pixels a side); at any time")
            .WithDescription("The body is the image's bytes. Its type is read from the bytes; a Content-Type other than what they are is refused, "
                + "as is any other kind of image (an SVG can carry script), each as 400 under `logo` (no content-type matching, so the refusal can say why).");
        api.MapDelete("/{cohortId:id}/logo", RemoveLogo).WithName(nameof(RemoveLogo)).WithSummary("Remove the cohort's logo; at any time");
        api.MapDelete("/{cohortId:id}/pulse", RemovePulse).WithName(nameof(RemovePulse)).WithSummary("Remove the mid-term pulse; before launch, or while its month has not been reached");
        api.MapGet("/{cohortId:id}", GetCohort).WithName(nameof(GetCohort)).WithSummary("One cohort, with its status and what its schedule waits for");
        api.MapPost("/{cohortId:id}/intake/open", OpenIntake).WithName(nameof(OpenIntake)).WithSummary("Open intake (from draft or intake closed)");
        api.MapPost("/{cohortId:id}/intake/close", CloseIntake).WithName(nameof(CloseIntake)).WithSummary("Close intake now (it also closes by itself at the end of intakeClosesOn)");
        api.MapGet("/{cohortId:id}/participants", ListParticipants).WithName(nameof(ListParticipants)).WithSummary("The cohort's participants with their status");
        return app;
    }

    public static async Task<Results<Created<CohortResponse>, ProblemHttpResult>> CreateCohort(
        HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<CohortForm>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await CreateAsync(body.Value!, services, ct) : body.Failure!;
    }

    /// <summary>Checks every field and stores the cohort as a draft (the API's JSON and the console's form both come here).</summary>
    public static async Task<Results<Created<CohortResponse>, ProblemHttpResult>> CreateAsync(CohortForm form, ApiServices services, CancellationToken ct)
    {
        var validated = CohortRules.Validate(form, Ids.NewCohortId(form.Name ?? ""), services.Time.GetUtcNow());
        if (!validated.IsValid)
        {
            return Problems.Invalid(validated.Errors);
        }
        var cohort = validated.Value! with { RetainPersonalDataDays = services.Settings.RetainPersonalDataDays };
        await services.Store.CreateCohortAsync(cohort, ct);
        await services.AuditAsync(cohort.Id, nameof(CreateCohort), null, null, ct);
        return TypedResults.Created($"/api/cohorts/{cohort.Id}", CohortResponse.From(CohortDocument.From(cohort), services.Settings.PublicBaseUrl));
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> EditCohort(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<CohortForm>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await EditAsync(cohortId, body.Value!, services, workflow, ct) : body.Failure!;
    }

    /// <summary>Checks every field as at creation, then lets the decider say whether the cohort may still change (the API's JSON and the console's form both come here).</summary>
    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> EditAsync(
        string cohortId, CohortForm form, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var validated = CohortRules.Validate(form, cohortId, services.Time.GetUtcNow());
        if (!validated.IsValid)
        {
            return Problems.Invalid(validated.Errors);
        }
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.Edited(validated.Value!), nameof(EditCohort), ct), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetQuestions(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<List<Shared.Intake.QuestionForm?>>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await SetQuestionsAsync(cohortId, body.Value!, services, workflow, ct) : body.Failure!;
    }

    /// <summary>Each question checked (errors under <c>questions[i].label</c> and the like), then the cohort's decider says whether they may still change.</summary>
    public static Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetQuestionsAsync(
        string cohortId, IReadOnlyList<Shared.Intake.QuestionForm?> forms, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
        => ChangeQuestionsAsync(cohortId, Shared.Intake.CustomQuestions.Validate(forms), q => new CohortEvent.QuestionsChanged(q), nameof(SetQuestions), services, workflow, ct);

    /// <summary>Questions already checked (their errors answered as 400), then the cohort's decider says whether they may still change; audited with their count.</summary>
    private static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> ChangeQuestionsAsync(string cohortId,
        (IReadOnlyList<Shared.Intake.CustomQuestion>? Questions, Shared.ValidationErrors Errors) checkedQuestions, Func<IReadOnlyList<Shared.Intake.CustomQuestion>, CohortEvent> change,
        string action, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var (questions, errors) = checkedQuestions;
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, change(questions!), action, ct, detail: $"{questions!.Count} questions"), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetBranding(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<BrandingRequest>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await SetBrandingAsync(cohortId, body.Value?.AccentColor, services, workflow, ct) : body.Failure!;
    }

    /// <summary>The colour checked (<c>#rrggbb</c>, readable against white and under white text), then kept; empty or null goes back to the program's own.</summary>
    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetBrandingAsync(
        string cohortId, string? accentColor, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var (accent, errors) = Branding.Validate(accentColor);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.BrandingChanged(accent), nameof(SetBranding), ct,
                detail: accent ?? "the program's own colour"), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetLogo(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var bytes = await RequestBodies.ReadBytesAsync(request, Logos.MaxBytes, ct);
        if (bytes is null)
        {
            return Problems.Invalid("logo", Logos.TooLarge(request.ContentLength ?? Logos.MaxBytes + 1));
        }
        return await SetLogoAsync(cohortId, bytes, request.ContentType, services, workflow, ct);
    }

    /// <summary>
    /// The image checked (PNG or JPEG by its own bytes, its size and sides), its bytes stored, then the cohort names it: a
    /// page or an email never points to a logo that is not there. The cohort must exist before anything is stored.
    /// </summary>
    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetLogoAsync(
        string cohortId, byte[] bytes, string? contentType, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var (logo, errors) = Logos.Inspect(bytes, contentType);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (await services.Store.ReadCohortAsync(cohortId, ct) is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        await services.Store.WriteLogoAsync(new LogoDocument(LogoDocument.DocumentId, cohortId, logo!.ContentType, logo.Hash, bytes), ct);
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.LogoChanged(logo), nameof(SetLogo), ct,
                detail: $"{logo.Width}×{logo.Height} {logo.ContentType}"), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));
    }

    public static Task<Results<Ok<CohortResponse>, ProblemHttpResult>> RemoveLogo(
        string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) => RemoveLogoAsync(cohortId, services, workflow, ct);

    /// <summary>The cohort stops naming its logo, then the bytes go.</summary>
    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> RemoveLogoAsync(
        string cohortId, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var result = CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.LogoChanged(null), nameof(RemoveLogo), ct, detail: "no logo"), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));
        if (result.Result is Ok<CohortResponse>)
        {
            await services.Store.DeleteLogoAsync(cohortId, ct);
        }
        return result;
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetSurveyQuestions(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<List<Shared.Intake.QuestionForm?>>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await SetSurveyQuestionsAsync(cohortId, body.Value!, services, workflow, ct) : body.Failure!;
    }

    /// <summary>Each question checked as an intake question is (none weighted), then the cohort's decider says whether they may still change (until launch).</summary>
    public static Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetSurveyQuestionsAsync(
        string cohortId, IReadOnlyList<Shared.Intake.QuestionForm?> forms, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
        => ChangeQuestionsAsync(cohortId, Shared.Pairing.SurveyRules.Validate(forms), q => new CohortEvent.SurveyQuestionsChanged(q), nameof(SetSurveyQuestions), services, workflow, ct);

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetPulse(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<Shared.Pairing.PulseForm>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await SetPulseAsync(cohortId, body.Value!, services, workflow, ct) : body.Failure!;
    }

    public static Task<Results<Ok<CohortResponse>, ProblemHttpResult>> RemovePulse(
        string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        SetPulseAsync(cohortId, null, services, workflow, ct);

    /// <summary>
    /// The pulse checked against the cohort's term (errors under <c>month</c>, <c>questions</c>, <c>questions[i].label</c> and the
    /// like), then the cohort's decider says whether it may still change; <paramref name="form"/> null removes it.
    /// </summary>
    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> SetPulseAsync(
        string cohortId, Shared.Pairing.PulseForm? form, ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        if (await services.Store.ReadCohortAsync(cohortId, ct) is not { } stored)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        Shared.Pairing.PulseCheck? pulse = null;
        if (form is not null)
        {
            (pulse, var errors) = Shared.Pairing.PulseRules.Validate(form, stored.Cohort.TermMonths, Shared.Pairing.PulseRules.FirstOpenMonth(stored.Cohort, services.Time.GetUtcNow()));
            if (!errors.IsEmpty)
            {
                return Problems.Invalid(errors);
            }
        }
        return CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.PulseChanged(pulse), form is null ? nameof(RemovePulse) : nameof(SetPulse), ct,
                detail: pulse is null ? null : $"month {pulse.Month}, {pulse.Questions.Count} questions"), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));
    }

    public static async Task<Ok<CohortResponse[]>> ListCohorts([AsParameters] ApiServices services, CancellationToken ct) =>
        TypedResults.Ok((await services.Store.ListCohortsAsync(ct)).Select(c => CohortResponse.From(c, services.Settings.PublicBaseUrl)).ToArray());

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> GetCohort(string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        await services.Store.ReadCohortAsync(cohortId, ct) is { } stored
            ? TypedResults.Ok(CohortResponse.From(stored, services.Settings.PublicBaseUrl))
            : Problems.NotFound($"No cohort '{cohortId}'.");

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> OpenIntake(
        string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.IntakeOpened(), nameof(OpenIntake), ct), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> CloseIntake(
        string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        CohortResults.Map(await services.ChangeCohortAsync(workflow, cohortId, new CohortEvent.IntakeClosed(), nameof(CloseIntake), ct), cohortId,
            applied => TypedResults.Ok(CohortResponse.From(applied.Document!, services.Settings.PublicBaseUrl)));

    public static async Task<Results<Ok<ParticipantResponse[]>, ProblemHttpResult>> ListParticipants(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (await services.Store.ReadCohortAsync(cohortId, ct) is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var participants = await services.Store.ListParticipantsAsync(cohortId, ct);
        return TypedResults.Ok(participants.OrderBy(p => p.Participant.RegisteredAt).Select(ParticipantResponse.From).ToArray());
    }
}
