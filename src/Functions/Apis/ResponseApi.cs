using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Pages;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Apis;

/// <summary>
/// The links in check-ins and surveys. GET shows what the click will record, with one button (mail scanners follow links;
/// only a person presses the button); POST records it as an event on the pair. Answering twice changes nothing.
/// </summary>
public static class ResponseApi
{
    public static IEndpointRouteBuilder MapResponseApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/r/{token}", ShowResponse).WithName(nameof(ShowResponse)).WithTags("Responses")
            .WithSummary("The page behind a check-in, pulse or survey link: what the click records, with one button (or the pulse's or survey's questions)");
        app.MapPost("/r/{token}", RecordResponse).WithName(nameof(RecordResponse)).WithTags("Responses")
            .WithSummary("Record a check-in answer, a pulse or a survey from its link");
        return app;
    }

    public static async Task<RazorComponentResult> ShowResponse(string token, ResponseTokens tokens, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, document, problem) = await ResolveAsync(token, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        var pair = document!.Pair;
        var member = pair.Mentee.ParticipantId == grant!.ParticipantId ? pair.Mentee : pair.Mentor;
        var action = $"/r/{token}";
        if (grant.Purpose == TokenPurpose.CheckIn)
        {
            var label = PairEmails.Answers.First(a => a.Answer == grant.Answer).Label;
            return ParticipantPages.Show<ConfirmCheckIn>(new { grant.Month, Member = member.Name, Partner = Other(pair, member).Name, Answer = label, Action = action });
        }
        if (grant.Purpose == TokenPurpose.Pulse)
        {
            return await services.Store.ReadCohortAsync(grant.CohortId, ct) is { Cohort.Pulse: { } pulse } cohort
                ? ParticipantPages.Show<PulsePage>(new { Member = member, Partner = Other(pair, member), Pulse = pulse, cohort.Cohort.Society, Action = action })
                : NoPulse();
        }
        return ParticipantPages.Show<SurveyForm>(new { Member = member, Partner = Other(pair, member), Action = action, Questions = await SurveyQuestionsAsync(grant.CohortId, services, ct) });
    }

    /// <summary>The cohort's own survey questions (none when the cohort is gone or asks none).</summary>
    internal static async Task<IReadOnlyList<Shared.Intake.CustomQuestion>> SurveyQuestionsAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        (await services.Store.ReadCohortAsync(cohortId, ct))?.Cohort.SurveyQuestions ?? [];

    private static RazorComponentResult NoPulse() =>
        ParticipantPages.Message("Link no longer applies", "This cohort no longer asks a pulse.", StatusCodes.Status410Gone);

    public static async Task<RazorComponentResult> RecordResponse(
        string token, HttpRequest request, ResponseTokens tokens, PairWorkflow workflow, CohortTerms cohortTerms, Email.Outbox outbox, ClientLimits limits,
        [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (grant, document, problem) = await ResolveAsync(token, tokens, services, ct);
        if (problem is not null)
        {
            return problem;
        }
        var pair = document!.Pair;
        if (!limits.TryAcquire(ClientLimit.LinkAnswer, request.HttpContext))
        {
            request.HttpContext.Response.Headers.RetryAfter = "60";
            return ParticipantPages.Message("Please wait a minute", "Too many answers from this address; try again in a minute.", StatusCodes.Status429TooManyRequests);
        }
        var member = pair.Mentee.ParticipantId == grant!.ParticipantId ? pair.Mentee : pair.Mentor;
        PairEvent @event;
        if (grant.Purpose == TokenPurpose.CheckIn)
        {
            @event = new PairEvent.CheckInAnswered(grant.Month, grant.ParticipantId, grant.Answer!.Value);
        }
        else if (grant.Purpose == TokenPurpose.Pulse)
        {
            if (await services.Store.ReadCohortAsync(grant.CohortId, ct) is not { Cohort.Pulse: { } pulse } asking)
            {
                return NoPulse();
            }
            var body = await RequestBodies.ReadJsonOrFormAsync(request, services.Settings.MaxBodyBytes, fields => fields, ct);
            var fields = body.Value ?? new Dictionary<string, StringValues>();
            var errors = new Shared.ValidationErrors();
            var answers = Shared.Intake.CustomQuestions.Answers(errors, pulse.Questions, IntakeFields.AnswersOf(fields));
            if (!errors.IsEmpty)
            {
                return ParticipantPages.Show<PulsePage>(new { Member = member, Partner = Other(pair, member), Pulse = pulse, asking.Cohort.Society, Action = $"/r/{token}",
                    Values = fields, Errors = errors.ToDictionary() }, StatusCodes.Status400BadRequest);
            }
            @event = new PairEvent.PulseAnswered(grant.ParticipantId, answers);
        }
        else
        {
            var body = await RequestBodies.ReadJsonOrFormAsync(request, services.Settings.MaxBodyBytes, fields => fields, ct);
            var fields = body.Value ?? new Dictionary<string, StringValues>();
            var questions = await SurveyQuestionsAsync(grant.CohortId, services, ct);
            var (answer, errors) = SurveyFields.Parse(fields, questions);
            if (answer is null)
            {
                return ParticipantPages.Show<SurveyForm>(new { Member = member, Partner = Other(pair, member), Action = $"/r/{token}", Questions = questions, Values = fields, Errors = errors.ToDictionary() },
                    StatusCodes.Status400BadRequest);
            }
            @event = new PairEvent.SurveyAnswered(grant.ParticipantId, answer);
        }
        // The pair as just read (one read per answer, with its ETag; a lost race re-reads), the cohort's terms from memory.
        var terms = await cohortTerms.ForAsync(grant.CohortId, ct);
        // A message the answer owes ("we need help") is claimed in the answer's own write and sent right after, from the
        // document as written: no other pair is read, so answers arriving together never compete for the same messages. If
        // this request dies first, the claim runs out and the dispatcher sends it.
        var (written, decision) = await workflow.ApplyAsync(grant.CohortId, grant.PairId, terms!, (_, _) => @event, member.Name, ct, known: document, claim: outbox.ClaimedHere);
        if (decision is PairDecision.Accepted { Commands.Count: > 0 } && written is not null && await services.Store.ReadCohortAsync(grant.CohortId, ct) is { } cohort)
        {
            await outbox.SendPairAsync(cohort, written, ct);
        }
        return decision switch
        {
            PairDecision.Accepted => ParticipantPages.Message("Thank you", grant.Purpose switch
            {
                TokenPurpose.CheckIn => "Your answer is recorded. You can close this page.",
                TokenPurpose.Pulse => "Your answers are recorded. Thank you: the program team reads them with everyone's, not pair by pair.",
                _ => "Your survey is recorded. Thank you for taking part in the program.",
            }, StatusCodes.Status200OK),
            PairDecision.Rejected when grant.Purpose == TokenPurpose.Pulse => ParticipantPages.Message("Not recorded",
                (written ?? document).Pair.Pulse.ContainsKey(grant.ParticipantId) ? "You have answered this pulse already; your first answers stand." : "This pair is no longer taking answers to the pulse (it may have ended, or the closing survey has begun).",
                StatusCodes.Status409Conflict),
            PairDecision.Rejected => ParticipantPages.Message("Not recorded", "This pair is no longer taking answers for this check-in (it may have been paused, ended or cancelled).", StatusCodes.Status409Conflict),
            _ => ParticipantPages.Message("Not recorded", "This link no longer applies.", StatusCodes.Status410Gone),
        };
    }

    private static Member Other(Pair pair, Member member) => member.ParticipantId == pair.Mentee.ParticipantId ? pair.Mentor : pair.Mentee;

    private static async Task<(ResponseGrant? Grant, PairDocument? Document, RazorComponentResult? Problem)> ResolveAsync(string token, ResponseTokens tokens, ApiServices services, CancellationToken ct)
    {
        var (grant, problem) = tokens.Read(token, TokenPurpose.CheckIn, TokenPurpose.Survey, TokenPurpose.Pulse);
        if (problem == TokenProblem.Malformed || grant is null)
        {
            return (null, null, ParticipantPages.InvalidLink());
        }
        if (problem == TokenProblem.Expired)
        {
            return (grant, null, ParticipantPages.Message("Link expired", "This link has expired. Your next check-in email will bring a new one.", StatusCodes.Status410Gone));
        }
        var document = await services.Store.ReadPairAsync(grant.CohortId, grant.PairId, ct);
        var pair = document?.Pair;
        if (pair is null || (pair.Mentee.ParticipantId != grant.ParticipantId && pair.Mentor.ParticipantId != grant.ParticipantId))
        {
            return (grant, null, ParticipantPages.Message("Link no longer applies", "This pair has changed since the link was sent.", StatusCodes.Status410Gone));
        }
        return (grant, document, null);
    }
}
