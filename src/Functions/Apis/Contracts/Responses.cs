using MentorFlow.Functions.Store;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Apis.Contracts;

// The HTTP API's answers: records of their own, mapped from the core's records and the store's documents, so that a
// rename in src/Shared or in a stored document never changes the public contract without a failing test (ContractTests).
// Enumerations travel as their camelCase words.

public sealed record MeetingResponse(string Name, DateOnly StartsOn, string City, string TimeZone);

public sealed record EligibilityResponse(IReadOnlyList<string> MenteeStages, IReadOnlyList<string> MentorStages);

public sealed record CohortLinks(string Self, string Join, string Participants, string OpenIntake, string CloseIntake, string Matching, string Pairs, string Report);

public sealed record CohortResponse(
    string Id,
    string Name,
    string Society,
    MeetingResponse NationalMeeting,
    DateOnly IntakeClosesOn,
    DateOnly ProgramStartsOn,
    int TermMonths,
    int IntroLeadDays,
    string CheckInCadence,
    EligibilityResponse Eligibility,
    string Geography,
    int MentorsPerMentee,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlyList<string> AdminEmails,
    string ContactEmail,
    string LaunchMode,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset IntakeClosesAt,
    DateTimeOffset IntroductionDeadline,
    int? LatestProposal,
    int? ApprovedProposal,
    string? NextDue,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? LaunchedAt,
    bool LateIntroduction,
    int PendingMessages,
    string JoinUrl,
    CohortLinks Links)
{
    /// <summary>The cohort's own intake questions, in the form's order.</summary>
    public IReadOnlyList<QuestionResponse> Questions { get; init; } = [];

    /// <summary>The mid-term pulse, if the cohort asks one: the month whose check-in asks it, and its questions (<c>answers.q1</c>, …).</summary>
    public PulseResponse? Pulse { get; init; }

    /// <summary>The cohort's accent colour on participants' pages and emails (<c>#rrggbb</c>), or null for the program's own.</summary>
    public string? AccentColor { get; init; }

    /// <summary>The cohort's logo on participants' pages and emails, or null for none.</summary>
    public LogoResponse? Logo { get; init; }

    /// <summary>The closing survey's own questions, asked after the standard five (<c>answers.q1</c>, …).</summary>
    public IReadOnlyList<QuestionResponse> SurveyQuestions { get; init; } = [];

    public static CohortResponse From(CohortDocument document, string publicBaseUrl)
    {
        var c = document.Cohort;
        var self = $"/api/cohorts/{c.Id}";
        return new CohortResponse(c.Id, c.Name, c.Society,
            new MeetingResponse(c.NationalMeeting.Name, c.NationalMeeting.StartsOn, c.NationalMeeting.City, c.NationalMeeting.TimeZone),
            c.IntakeClosesOn, c.ProgramStartsOn, c.TermMonths, c.IntroLeadDays, Words.Of(c.CheckInCadence),
            new EligibilityResponse([.. c.Eligibility.MenteeStages.Select(Words.Of)], [.. c.Eligibility.MentorStages.Select(Words.Of)]),
            Words.Of(c.Geography), c.MentorsPerMentee, c.Weights, c.AdminEmails, c.Contact().Address, Words.Of(c.LaunchMode), Words.Of(c.Status), c.CreatedAt, c.UpdatedAt,
            c.IntakeClosesAt, c.IntroductionDeadline, c.LatestProposal, c.ApprovedProposal, c.NextDue is { } due ? Words.Of(due) : null, c.NextDueAt,
            c.LaunchedAt, c.LateIntroduction, document.OutboxCount, publicBaseUrl.TrimEnd('/') + $"/cohorts/{c.Id}/join",
            new CohortLinks(self, $"/cohorts/{c.Id}/join", $"{self}/participants", $"{self}/intake/open", $"{self}/intake/close", $"{self}/matching",
                $"{self}/pairs", $"{self}/report")) with
        {
            Questions = [.. c.Questions.Select(QuestionResponse.From)],
            Pulse = c.Pulse is { } pulse ? new PulseResponse(pulse.Month, [.. pulse.Questions.Select(QuestionResponse.From)]) : null,
            SurveyQuestions = [.. c.SurveyQuestions.Select(QuestionResponse.From)],
            AccentColor = c.AccentColor,
            Logo = c.Logo is { } logo ? new LogoResponse(logo.ContentType, logo.Width, logo.Height, logo.Bytes, Logos.PathFor(c.Id, logo)) : null,
        };
    }
}

public sealed record PreferencesResponse(bool DifferentInstitution, bool DifferentRegion, bool SameRegion);

/// <summary>One email about the person's registration (confirm, receipt, already registered, withdrawn) and where it stands.</summary>
public sealed record ParticipantEmailResponse(string Kind, string State, int Attempts, DateTimeOffset? SentAt);

public sealed record ParticipantResponse(
    string Id,
    string CohortId,
    string Role,
    string FirstName,
    string LastName,
    string FullName,
    string Email,
    string CareerStage,
    string Specialty,
    string? Subspecialty,
    string PracticeSetting,
    string Institution,
    string City,
    string Region,
    string Country,
    string TimeZone,
    IReadOnlyList<string> Aspects,
    bool AttendingNationalMeeting,
    PreferencesResponse Preferences,
    int? Capacity,
    string Goals,
    IReadOnlyList<string> Avoid,
    string Status,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<ParticipantEmailResponse> Emails)
{
    /// <summary>The answers to the cohort's own questions, by question id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public static ParticipantResponse From(ParticipantDocument document)
    {
        var p = document.Participant;
        return new ParticipantResponse(p.Id, p.CohortId, Words.Of(p.Role), p.FirstName, p.LastName, p.FullName, p.Email, Words.Of(p.CareerStage),
            p.Specialty, p.Subspecialty, Words.Of(p.PracticeSetting), p.Institution, p.City, p.Region, p.Country, p.TimeZone,
            [.. p.Aspects.Select(Words.Of)], p.AttendingNationalMeeting,
            new PreferencesResponse(p.Preferences.DifferentInstitution, p.Preferences.DifferentRegion, p.Preferences.SameRegion),
            p.Capacity, p.Goals, p.Avoid, Words.Of(p.Status), p.RegisteredAt,
            [.. document.Outbox.Select(m => new ParticipantEmailResponse(Words.Of(m.Mail ?? ParticipantMail.Receipt), Words.Of(m.State), m.Attempts, m.SentAt))])
        {
            Answers = p.Answers,
        };
    }
}

public sealed record ConfirmedResponse(int Confirmed);

public sealed record RegistrationResponse(string ParticipantId, string Status, string Message);

public sealed record PairKeyResponse(string MenteeId, string MentorId);

public sealed record SteeringResponse(IReadOnlyList<PairKeyResponse> Pins, IReadOnlyList<PairKeyResponse> Forbids)
{
    public static SteeringResponse From(MatchingSteering steering) =>
        new([.. steering.Pins.Select(k => new PairKeyResponse(k.MenteeId, k.MentorId))], [.. steering.Forbids.Select(k => new PairKeyResponse(k.MenteeId, k.MentorId))]);
}

public sealed record ProposedPairResponse(string MenteeId, string MentorId, string MenteeName, string MentorName, string? Aspect, double Score, IReadOnlyList<string> Reasons, bool Pinned);

public sealed record UnmatchedResponse(string MenteeId, string MenteeName, IReadOnlyList<string> UncoveredAspects, IReadOnlyList<string> Reasons);

public sealed record QualityResponse(
    int Mentees, int Mentors, int MatchedMentees, double MatchedShare, int Pairs, double MeanScore, double MinScore, double FirstAspectCoveredShare,
    int MentorCapacityUsed, int MentorCapacityAvailable, int PairsBothAtNationalMeeting, int BlockingPairs, long TotalPoints);

public sealed record ProposalResponse(
    int Version,
    DateTimeOffset CreatedAt,
    string Status,
    IReadOnlyList<ProposedPairResponse> Pairs,
    IReadOnlyList<UnmatchedResponse> Unmatched,
    QualityResponse Quality,
    IReadOnlyList<string> Warnings,
    SteeringResponse Steering)
{
    public static ProposalResponse From(ProposalDocument proposal, Cohort cohort)
    {
        var r = proposal.Result;
        var q = r.Quality;
        return new ProposalResponse(proposal.Version, proposal.CreatedAt,
            cohort.ApprovedProposal == proposal.Version ? "approved" : cohort.ApprovedProposal is null ? "proposed" : "superseded",
            [.. r.Pairs.Select(p => new ProposedPairResponse(p.MenteeId, p.MentorId, p.MenteeName, p.MentorName, p.Aspect is { } a ? Words.Of(a) : null,
                p.Score, p.Reasons, p.Pinned))],
            [.. r.Unmatched.Select(u => new UnmatchedResponse(u.MenteeId, u.MenteeName, [.. u.UncoveredAspects.Select(Words.Of)], u.Reasons))],
            new QualityResponse(q.Mentees, q.Mentors, q.MatchedMentees, q.MatchedShare, q.Pairs, q.MeanScore, q.MinScore, q.FirstAspectCoveredShare,
                q.MentorCapacityUsed, q.MentorCapacityAvailable, q.PairsBothAtNationalMeeting, q.BlockingPairs, q.TotalPoints),
            r.Warnings, SteeringResponse.From(proposal.Steering));
    }
}

public sealed record LaunchResponse(string Status, int Pairs, int Created, bool LateIntroduction, DateTimeOffset IntroductionDeadline);

public sealed record MemberResponse(string ParticipantId, string Name, string Email, string TimeZone, bool AttendingNationalMeeting)
{
    public static MemberResponse From(Member m) => new(m.ParticipantId, m.Name, m.Email, m.TimeZone, m.AttendingNationalMeeting);
}

public sealed record SurveyAnswerResponse(int Satisfaction, string GoalsMet, bool WillContinue, bool WouldJoinAgain, bool WouldMentor, string? Comment)
{
    /// <summary>The answers to the cohort's own survey questions, by question id (<c>q1</c>, …).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

public sealed record SentEmailResponse(string Kind, int Month, IReadOnlyList<string> To);

public sealed record HistoryResponse(DateTimeOffset At, string Event, string Summary, string By);

public sealed record PairResponse(
    string Id,
    string CohortId,
    MemberResponse Mentee,
    MemberResponse Mentor,
    string Status,
    int Month,
    IReadOnlyDictionary<string, string> Answers,
    int MonthsWithoutMeeting,
    DateTimeOffset LaunchedAt,
    DateTimeOffset? IntroducedAt,
    string? NextDue,
    DateTimeOffset? NextDueAt,
    TimeSpan PausedFor,
    string? ResumeTo,
    DateTimeOffset? PausedAt,
    bool LateIntroduction,
    int Rematches,
    IReadOnlyDictionary<string, SurveyAnswerResponse> Survey,
    DateTimeOffset? SurveySentAt,
    SentEmailResponse? LastEmail,
    int Resends,
    string? CancelReason,
    bool EverAtRisk,
    bool IsTerminal,
    int PendingMessages,
    IReadOnlyList<HistoryResponse>? History,
    IReadOnlyList<int> HelpRequestedMonths,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> AnswersByPerson)
{
    public static PairResponse From(PairDocument document, bool history)
    {
        var p = document.Pair;
        return new PairResponse(p.Id, p.CohortId, MemberResponse.From(p.Mentee), MemberResponse.From(p.Mentor), Words.Of(p.Status), p.Month,
            p.Answers.ToDictionary(a => a.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), a => Words.Of(a.Value)),
            p.MonthsWithoutMeeting, p.LaunchedAt, p.IntroducedAt, p.NextDue is { } due ? Words.Of(due) : null, p.NextDueAt, p.PausedFor,
            p.ResumeTo is { } resume ? Words.Of(resume) : null, p.PausedAt, p.LateIntroduction, p.Rematches,
            p.Survey.ToDictionary(s => s.Key, s => new SurveyAnswerResponse(s.Value.Satisfaction, s.Value.GoalsMet, s.Value.WillContinue, s.Value.WouldJoinAgain,
                s.Value.WouldMentor, s.Value.Comment) { Answers = s.Value.Answers }),
            p.SurveySentAt, p.LastEmail is { } last ? new SentEmailResponse(Words.Of(last.Kind), last.Month, last.To) : null, p.Resends, p.CancelReason,
            p.EverAtRisk, p.IsTerminal, document.Outbox.Count,
            history ? [.. document.History.Select(h => new HistoryResponse(h.At, h.Event, h.Summary, h.By))] : null,
            p.HelpRequestedMonths(),
            p.AnswersBy.Select(kv => (Key: Pair.ReadAnswerKey(kv.Key), kv.Value.Answer)).GroupBy(a => a.Key.Month.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(a => a.Key.ParticipantId, a => Words.Of(a.Answer))));
    }
}

public sealed record PairOutcomeResponse(
    string PairId, string Mentee, string Mentor, string Status, int MonthsSent, int MonthsMet, int MonthsAnswered, bool EverAtRisk, int Rematches,
    double? Satisfaction, int SurveysAnswered, bool? WillContinue, string? CancelReason);

/// <summary>One month of the term: pairs asked, their answers, pairs that became at risk when it closed, and the pairs by state that month.</summary>
public sealed record MonthResponse(int Month, int Asked, int Met, int NotYet, int NeedHelp, int Unanswered, int BecameAtRisk, int OnTrack, int AtRisk, int EndedEarly, double? MetShare);

public sealed record ReportResponse(
    string CohortId,
    string Name,
    string Status,
    int Pairs,
    IReadOnlyDictionary<string, int> ByStatus,
    double MetShare,
    int EverAtRisk,
    double? MeanSatisfaction,
    double? WillContinueShare,
    double? WouldJoinAgainShare,
    double? WouldMentorShare,
    IReadOnlyList<PairOutcomeResponse> Outcomes,
    IReadOnlyList<MonthResponse> Months,
    IReadOnlyList<int> SatisfactionCounts,
    IReadOnlyDictionary<string, int> GoalsMetCounts,
    PulseReportResponse? Pulse)
{
    /// <summary>The cohort's own survey questions across every survey answer: choices counted, texts listed (not by pair).</summary>
    public IReadOnlyList<QuestionFiguresResponse> SurveyQuestions { get; init; } = [];

    public static ReportResponse From(CohortReport r) => new(r.CohortId, r.Name, Words.Of(r.Status), r.Pairs, r.ByStatus, r.MetShare, r.EverAtRisk,
        r.MeanSatisfaction, r.WillContinueShare, r.WouldJoinAgainShare, r.WouldMentorShare,
        [.. r.Outcomes.Select(o => new PairOutcomeResponse(o.PairId, o.Mentee, o.Mentor, Words.Of(o.Status), o.MonthsSent, o.MonthsMet, o.MonthsAnswered,
            o.EverAtRisk, o.Rematches, o.Satisfaction, o.SurveysAnswered, o.WillContinue, o.CancelReason))],
        [.. r.Months.Select(m => new MonthResponse(m.Month, m.Asked, m.Met, m.NotYet, m.NeedHelp, m.Unanswered, m.BecameAtRisk, m.OnTrack, m.AtRisk, m.EndedEarly, m.MetShare))],
        r.SatisfactionCounts, r.GoalsMetCounts,
        r.Pulse is { } p ? new PulseReportResponse(p.Month, p.Asked, p.Answered, [.. p.Questions.Select(QuestionFiguresResponse.From)]) : null)
    {
        SurveyQuestions = [.. r.SurveyQuestions.Select(QuestionFiguresResponse.From)],
    };
}

/// <summary>The mid-term pulse across the cohort: asked in month <c>month</c> of <c>asked</c> people, answered by <c>answered</c>; per question the choices counted, or the text answers (not by pair).</summary>
public sealed record PulseReportResponse(int Month, int Asked, int Answered, IReadOnlyList<QuestionFiguresResponse> Questions);

/// <summary>One of the cohort's own questions (the pulse's, the survey's) across everyone's answers: a choice's options counted, a text's answers listed.</summary>
public sealed record QuestionFiguresResponse(string Id, string Label, string Type, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> Texts)
{
    public static QuestionFiguresResponse From(Shared.Pairing.QuestionFigures q) => new(q.Id, q.Label, Words.Of(q.Type), q.Counts, q.Texts);
}

public sealed record TickResponse(int Transitions, int EmailsSent, int EmailsWaiting, int CohortsClosed, int CohortTransitions)
{
    public static TickResponse From(Durable.TickSummary t) => new(t.Transitions, t.EmailsSent, t.EmailsWaiting, t.CohortsClosed, t.CohortTransitions);
}

public sealed record ClockResponse(DateTimeOffset Now, IReadOnlyList<TickResponse> Ticks);

public sealed record TemplateResponse(string Subject, string Html, string Text, bool Custom);

public sealed record PreviewResponse(string Subject, string Html, string Text);

/// <summary>
/// One of the cohort's own intake questions: its id names the answers (<c>answers.q1</c>) and the CSV column; a choice
/// question's <c>matchWeight</c> above 0 makes an answer in common worth that weight in the matching.
/// </summary>
public sealed record QuestionResponse(string Id, string Label, string Type, IReadOnlyList<string> Options, bool Required, double MatchWeight)
{
    public static QuestionResponse From(Shared.Intake.CustomQuestion q) => new(q.Id, q.Label, Words.Of(q.Type), q.Options, q.Required, q.MatchWeight);
}

/// <summary>The cohort's mid-term pulse: asked in the check-in of <c>month</c>, one or two questions.</summary>
public sealed record PulseResponse(int Month, IReadOnlyList<QuestionResponse> Questions);

/// <summary>The cohort's accent colour: <c>#rrggbb</c>, or null (or empty) for the program's own.</summary>
public sealed record BrandingRequest(string? AccentColor);

/// <summary>A cohort's logo: its kind, its size in pixels and bytes, and where the app serves it (the query names its version).</summary>
public sealed record LogoResponse(string ContentType, int Width, int Height, int Bytes, string Url);

/// <summary>"Send me a test": to whom (one of the cohort's admin or contact addresses), and the draft's wording if it is not the saved one.</summary>
public sealed record TestEmailRequest(string? To, string? Subject = null, string? Html = null, string? Text = null);

public sealed record TestEmailResponse(string To, string Subject);

/// <summary>A field an email's wording may use (<c>{{ cohort.meeting.date }}</c>; a list's items as <c>people[].name</c>), with its value for a sample pair.</summary>
public sealed record TemplateFieldResponse(string Field, string Example);

public sealed record HealthResponse(string Status, string? Store = null);
