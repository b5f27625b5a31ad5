using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared;
using MentorFlow.Shared.Intake;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Admin;

/// <summary>
/// The admin console at <c>/console</c>: server-rendered pages over the same handlers the HTTP API uses. A page reads
/// through an API handler and renders its answer; a form posts to a route that calls the API handler and either
/// redirects back with a notice or shows the handler's problem on the page.
/// </summary>
public static partial class AdminConsole
{
    public static IEndpointRouteBuilder MapAdminConsole(this IEndpointRouteBuilder app, bool devClock)
    {
        app.MapGet(ConsoleScript.Path, ConsoleScript.Serve).ExcludeFromDescription();
        var open = app.MapGroup("/console").ExcludeFromDescription();
        open.MapGet("/sign-in", SignInPage);
        open.MapPost("/sign-in", SignIn);
        open.MapGet("/sign-in/entra", EntraChallenge);
        open.MapGet("/signed-in", SignedIn);
        open.MapPost("/sign-out", SignOut);

        var console = app.MapGroup("/console").AddEndpointFilter<ConsoleFilter>().ExcludeFromDescription();
        console.MapGet("/", CohortList);
        console.MapGet("/cohorts/new", NewCohort);
        console.MapPost("/cohorts/new", CreateCohort);
        console.MapGet("/cohorts/{cohortId:id}", CohortHome);
        console.MapGet("/cohorts/{cohortId:id}/edit", EditCohortPage);
        console.MapPost("/cohorts/{cohortId:id}/edit", EditCohort);
        console.MapPost("/cohorts/{cohortId:id}/intake/open", OpenIntake);
        console.MapPost("/cohorts/{cohortId:id}/intake/close", CloseIntake);
        MapParticipants(console);
        MapMatching(console);
        MapPairs(console, devClock);
        MapEmails(console);
        MapDashboard(console);
        MapProgram(console);
        return app;
    }

    // ---- sign-in ----

    private static IResult SignInPage(HttpContext http, string? returnUrl, string? failed, Microsoft.Extensions.Options.IOptions<AppSettings> settings) =>
        ConsolePages.Page<Pages.SignIn>(ConsoleContext.For(http), new SignInModel(ConsoleAccess.LocalReturnUrl(returnUrl), settings.Value.ConsoleUsesEntra,
            failed is null ? null : "Sign-in with Entra ID did not complete (the answer from the identity provider was not valid). Please try again."),
            failed is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    private static async Task<IResult> SignIn(HttpContext http, IAntiforgery antiforgery, Microsoft.Extensions.Options.IOptions<AppSettings> settings, ClientLimits limits)
    {
        if (!http.Request.HasFormContentType)
        {
            return ConsolePages.Message("Not a form", "Sign in from the console's sign-in page.", StatusCodes.Status400BadRequest);
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueCountLimit = 16, MultipartBodyLengthLimit = 64 * 1024, BufferBodyLengthLimit = 64 * 1024 }, http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return ConsolePages.Message("Form too large", "The sign-in form has two fields; this post had far more, or far more data.", StatusCodes.Status413PayloadTooLarge);
        }
        if (await ConsoleForms.RefuseForgedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }
        var returnUrl = ConsoleAccess.LocalReturnUrl(form["returnUrl"]);
        if (settings.Value.ConsoleUsesEntra)
        {
            return ConsolePages.Message("Sign in with Entra ID", "This deployment signs admins in with Microsoft Entra ID, not the admin key.", StatusCodes.Status400BadRequest);
        }
        if (settings.Value.DisableAdminKey || !limits.HasPermits(ClientLimit.AdminKeyGuess, http))
        {
            return ConsolePages.Page<Pages.SignIn>(ConsoleContext.For(http), new SignInModel(returnUrl, false,
                settings.Value.DisableAdminKey ? "The admin key is disabled here." : "Too many wrong keys from this address; wait a minute."), StatusCodes.Status429TooManyRequests);
        }
        if (settings.Value.AdminNamed(form["key"]) is not { } name)
        {
            limits.TryAcquire(ClientLimit.AdminKeyGuess, http);
            return ConsolePages.Page<Pages.SignIn>(ConsoleContext.For(http), new SignInModel(returnUrl, false, "That is not the admin key."), StatusCodes.Status401Unauthorized);
        }
        await ConsoleAccess.SignInWithKeyAsync(http, name);
        return TypedResults.Redirect(returnUrl);
    }

    private static IResult EntraChallenge(string? returnUrl, Microsoft.Extensions.Options.IOptions<AppSettings> settings) =>
        settings.Value.ConsoleUsesEntra
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = ConsoleAccess.LocalReturnUrl(returnUrl) }, [ConsoleAccess.EntraScheme])
            : TypedResults.Redirect(ConsoleAccess.SignInPath);

    /// <summary>After Entra ID: a page of our own moves on, so the SameSite=Strict session cookie goes with the next request.</summary>
    private static IResult SignedIn(HttpContext http, string? returnUrl)
    {
        var target = ConsoleAccess.LocalReturnUrl(returnUrl);
        return new RazorComponentResult<Pages.SignedIn>(new Dictionary<string, object?> { ["Target"] = target });
    }

    private static async Task<IResult> SignOut(HttpContext http, IAntiforgery antiforgery)
    {
        // The form's token was issued to the signed-in admin: check it as that admin.
        if ((await http.AuthenticateAsync(ConsoleAccess.CookieScheme)).Principal is { } principal)
        {
            http.User = principal;
        }
        if (await ConsoleForms.RefuseForgedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }
        await ConsoleAccess.EndSessionAsync(http, http.User);
        return ConsolePages.Done(ConsoleAccess.SignInPath, "signed-out");
    }

    // ---- cohorts ----

    private static async Task<IResult> CohortList(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var cohorts = (await CohortsApi.ListCohorts(services, ct)).Value!;
        var rows = await Task.WhenAll(cohorts.Select(async cohort =>
        {
            var participants = await services.Store.ListParticipantsAsync(cohort.Id, ct);
            var pairs = await services.Store.ListPairsAsync(cohort.Id, ct);
            return new CohortRow(cohort,
                participants.Count(p => p.Participant.Status is ParticipantStatus.Registered or ParticipantStatus.Unconfirmed),
                participants.Count(p => p.Participant.Status == ParticipantStatus.Registered),
                pairs.GroupBy(p => Words.Of(p.Pair.Status)).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                pairs.Count(p => p.Pair.Status == Shared.Pairing.PairStatus.AtRisk));
        }));
        return ConsolePages.Page<Pages.CohortList>(ConsoleContext.For(http), rows);
    }

    private static IResult NewCohort(HttpContext http) =>
        ConsolePages.Page<Pages.CohortEditor>(ConsoleContext.For(http), new CohortEditorModel(CohortFormPost.Defaults(), null));

    private static async Task<IResult> CreateCohort(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        var (cohortForm, formErrors) = CohortFormPost.Read(values);
        var result = formErrors.IsEmpty ? (await CohortsApi.CreateAsync(cohortForm, services, ct)).Result : Problems.Invalid(formErrors);
        return Answer<CohortResponse>(result,
            created => ConsolePages.Done($"/console/cohorts/{created.Id}", "created"),
            problem => ConsolePages.Page<Pages.CohortEditor>(ConsoleContext.For(http), new CohortEditorModel(values, problem), problem.Status));
    }

    private static Task<IResult> EditCohortPage(HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "", services, ct, (context, cohort) =>
            Task.FromResult<IResult>(ConsolePages.Page<Pages.CohortEditor>(context, new CohortEditorModel(CohortFormPost.From(cohort), null, cohort.Id))));

    private static async Task<IResult> EditCohort(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        var (cohortForm, formErrors) = CohortFormPost.Read(values);
        var result = formErrors.IsEmpty ? (await CohortsApi.EditAsync(cohortId, cohortForm, services, workflow, ct)).Result : Problems.Invalid(formErrors);
        return await AnswerAsync<CohortResponse>(result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}", "edited")),
            problem => CohortPageAsync(http, cohortId, "", services, ct, (context, _) =>
                Task.FromResult<IResult>(ConsolePages.Page<Pages.CohortEditor>(context, new CohortEditorModel(values, problem, cohortId), problem.Status))));
    }

    private static async Task<IResult> CohortHome(HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        await CohortPageAsync(http, cohortId, "", services, ct, async (context, cohort) =>
            ConsolePages.Page<Pages.CohortHome>(context, await HomeModelAsync(cohort, services, null, ct)));

    private static Task<IResult> OpenIntake(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        IntakeChangeAsync(http, cohortId, services, CohortsApi.OpenIntake(cohortId, services, workflow, ct), "intake-opened", ct);

    private static Task<IResult> CloseIntake(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        IntakeChangeAsync(http, cohortId, services, CohortsApi.CloseIntake(cohortId, services, workflow, ct), "intake-closed", ct);

    private static async Task<IResult> IntakeChangeAsync(HttpContext http, string cohortId, ApiServices services,
        Task<Results<Ok<CohortResponse>, ProblemHttpResult>> change, string notice, CancellationToken ct) =>
        await AnswerAsync<CohortResponse>((await change).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}", notice)),
            problem => CohortPageAsync(http, cohortId, "", services, ct, async (context, cohort) =>
                ConsolePages.Page<Pages.CohortHome>(context, await HomeModelAsync(cohort, services, problem, ct), problem.Status)));

    private static async Task<CohortHomeModel> HomeModelAsync(CohortResponse cohort, ApiServices services, ConsoleProblem? problem, CancellationToken ct)
    {
        var people = (await services.Store.ListParticipantsAsync(cohort.Id, ct)).Select(d => d.Participant).ToList();
        var registered = people.Where(p => p.Status == ParticipantStatus.Registered).ToList();
        return new CohortHomeModel(cohort, registered.Count, people.Count(p => p.Status == ParticipantStatus.Unconfirmed),
            people.Count(p => p.Status is ParticipantStatus.Withdrawn or ParticipantStatus.Removed),
            registered.Count(p => p.Role == Role.Mentee), registered.Count(p => p.Role == Role.Mentor), problem);
    }

    // ---- the shapes every page shares ----

    /// <summary>Reads the cohort through the API's handler; a cohort that is not there is the "not found" page.</summary>
    private static async Task<IResult> CohortPageAsync(HttpContext http, string cohortId, string section, ApiServices services, CancellationToken ct,
        Func<ConsoleContext, CohortResponse, Task<IResult>> page) =>
        (await CohortsApi.GetCohort(cohortId, services, ct)).Result is Ok<CohortResponse> { Value: { } cohort }
            ? await page(ConsoleContext.For(http) with { Cohort = cohort, Section = section }, cohort)
            : ConsolePages.Message("Cohort not found", $"There is no cohort '{cohortId}'.", StatusCodes.Status404NotFound);

    /// <summary>The approved proposal as the matching route shows a proposal (no route answers an older version than the latest).</summary>
    private static async Task<ProposalResponse?> ApprovedProposalAsync(CohortResponse cohort, ApiServices services, CancellationToken ct) =>
        cohort.ApprovedProposal is { } version
            && await services.Store.ReadProposalAsync(cohort.Id, version, ct) is { } proposal
            && await services.Store.ReadCohortAsync(cohort.Id, ct) is { } stored
            ? ProposalResponse.From(proposal, stored.Cohort)
            : null;

    /// <summary>An API handler's answer: its value on success, its problem otherwise.</summary>
    private static IResult Answer<T>(IResult result, Func<T, IResult> ok, Func<ConsoleProblem, IResult> failed) => Unwrap(result) switch
    {
        IValueHttpResult<T> { Value: { } value } => ok(value),
        ProblemHttpResult problem => failed(ConsoleProblem.From(problem)),
        var other => throw new InvalidOperationException($"Unexpected answer {other.GetType().Name}."),
    };

    private static Task<IResult> AnswerAsync<T>(IResult result, Func<T, Task<IResult>> ok, Func<ConsoleProblem, Task<IResult>> failed) => Unwrap(result) switch
    {
        IValueHttpResult<T> { Value: { } value } => ok(value),
        ProblemHttpResult problem => failed(ConsoleProblem.From(problem)),
        var other => throw new InvalidOperationException($"Unexpected answer {other.GetType().Name}."),
    };

    private static IResult Unwrap(IResult result) => result is INestedHttpResult nested ? Unwrap(nested.Result) : result;

    private static async Task<Dictionary<string, StringValues>> FormAsync(HttpContext http, CancellationToken ct) =>
        (await http.Request.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
}
