using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Pages;
using MentorFlow.Functions.Store;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public static class IntakeApi
{

    /// <summary>The public intake form; the Bicep template's intake URL pattern points here.</summary>
    public const string FormRoute = "/cohorts/{cohortId}/join";

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(FormRoute, JoinPage).WithName(nameof(JoinPage)).WithTags("Intake").WithSummary("The cohort's intake form (HTML)");
        app.MapPost("/api/cohorts/{cohortId:id}/intake", SubmitIntake).WithName(nameof(SubmitIntake)).WithTags("Intake")
            .WithSummary("Register for a cohort: JSON, or the form's post").Accepts<Shared.Intake.IntakeForm>("application/json", "application/x-www-form-urlencoded")
;
        return app;
    }

    public static async Task<RazorComponentResult> JoinPage(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var stored = Ids.IsWellFormed(cohortId) ? await services.Store.ReadCohortAsync(cohortId, ct) : null;
        if (stored is null)
        {
            return ParticipantPages.Message("Cohort not found", "There is no mentorship cohort at this address. Please check the link you were sent.", StatusCodes.Status404NotFound);
        }
        var cohort = stored.Cohort;
        return cohort.Status == CohortStatus.IntakeOpen
            ? ParticipantPages.Show<JoinForm>(new { Cohort = cohort })
            : ParticipantPages.Show<IntakeClosed>(new { Cohort = cohort });
    }

    /// <summary>A registration stored unconfirmed with its confirmation email in its outbox: one write (the form, an admin's addition and an import all come here).</summary>
    public static Task<CreateOutcome> CreateUnconfirmedAsync(Cohort cohort, Participant participant, ApiServices services, CancellationToken ct)
    {
        var confirm = ParticipantDecider.KeyFor(participant, ParticipantMail.Confirm, participant.RegisteredAt);
        return services.Store.CreateParticipantAsync(new ParticipantDocument(participant.Id, cohort.Id, participant, Guid.NewGuid().ToString("N"),
            [new PendingMessage(confirm, null, null, 0, [participant.Id], null, participant.RegisteredAt, Mail: ParticipantMail.Confirm)]), ct);
    }

    /// <summary>
    /// How old this instance's copy of a cohort may be for a registration: a burst of registrations reads the cohort once a
    /// second, not once each (a cohort changed here is read afresh at once).
    /// </summary>
    public static readonly TimeSpan CohortReadFor = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Validate → read the cohort (at most a second old) → decide → create the participant, unconfirmed, with the confirmation email in its outbox
    /// (one write) → wake the sender.
    /// JSON callers get JSON and problem details; the HTML form gets pages.
    /// </summary>
    public static async Task<Results<Accepted<RegistrationResponse>, RazorComponentResult, ProblemHttpResult>> SubmitIntake(
        string cohortId, HttpRequest request, ClientLimits limits, Workflow.RegisteredAgainQueue again, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonOrFormAsync(request, services.Settings.MaxBodyBytes, IntakeFields.FromForm, ct);
        var asPage = body.Kind == BodyKind.Form;
        var stored = await services.Store.ReadRecentCohortAsync(cohortId, CohortReadFor, ct);
        if (stored is null)
        {
            return asPage
                ? ParticipantPages.Message("Cohort not found", "There is no mentorship cohort at this address.", StatusCodes.Status404NotFound)
                : Problems.NotFound($"No cohort '{cohortId}'.");
        }
        if (!body.Succeeded)
        {
            return body.Failure!;
        }
        if (!limits.TryAcquire(ClientLimit.IntakePost, request.HttpContext))
        {
            const string busy = "Too many registrations from this address; try again in a minute.";
            var tooMany = Problems.TooMany(request.HttpContext, busy); // sets Retry-After for the page too
            return asPage ? ParticipantPages.Message("Please wait a minute", busy, StatusCodes.Status429TooManyRequests) : tooMany;
        }
        var cohort = stored.Cohort;
        switch (IntakeRules.Decide(cohort, body.Value, services.Time.GetUtcNow(), services.Settings.ParticipantIdSecret()))
        {
            case IntakeDecision.Invalid invalid when asPage:
                return ParticipantPages.Show<JoinForm>(new { Cohort = cohort, Values = body.FormFields, Errors = invalid.Errors.ToDictionary() }, StatusCodes.Status400BadRequest);
            case IntakeDecision.Invalid invalid:
                return Problems.Invalid(invalid.Errors);
            case IntakeDecision.IntakeNotOpen notOpen:
                var reason = $"Intake for this cohort is not open (it is {Words.Of(notOpen.Status)}).";
                return asPage ? ParticipantPages.Message("Intake is not open", reason, StatusCodes.Status409Conflict) : Problems.Conflict(reason);
            case IntakeDecision.Admitted admitted:
                // A new address and a known one are answered the same way: the form tells nobody whether an address is
                // registered. A new one gets the link to confirm; the owner of a known one hears about it, and nothing changes.
                var participant = admitted.Participant;
                if (await CreateUnconfirmedAsync(cohort, participant, services, ct) == CreateOutcome.AlreadyExists)
                {
                    await again.EnqueueAsync(cohort.Id, participant.Id, ct); // the same work in this request as a new address: one create
                }
                services.Outbox.Notify(cohort.Id);
                return asPage
                    ? ParticipantPages.Show<CheckYourEmail>(new { Cohort = cohort, Participant = participant }, StatusCodes.Status202Accepted)
                    : TypedResults.Accepted((string?)null, new RegistrationResponse(participant.Id, "checkYourEmail",
                        $"Thank you. We sent an email to {participant.Email}: press the button behind its link within 7 days to confirm."));
            default:
                throw new InvalidOperationException("Unknown intake decision.");
        }
    }
}
