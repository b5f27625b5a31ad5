namespace MentorFlow.Shared.Pairing;

/// <summary>One person of a pair, as the workflow needs them: who to write to, in which time zone.</summary>
public sealed record Member(string ParticipantId, string Name, string Email, string TimeZone, bool AttendingNationalMeeting)
{
    public static Member Of(Intake.Participant p) => new(p.Id, p.FullName, p.Email, p.TimeZone, p.AttendingNationalMeeting);
}

public enum PairStatus { Launched, Active, AtRisk, Paused, Surveying, Completed, Cancelled }

public enum Answer { Met, NotYet, NeedHelp }

/// <summary>What the pair's schedule waits for next.</summary>
public enum Due { Introduction, CheckIn, Reminder, Survey, SurveyReminder, SurveyClose }

/// <summary>
/// The kinds of email whose wording a cohort can change: a pair's (introduction to mentor replaced); <see cref="Receipt"/>, the
/// email a person gets once they confirmed their registration; and <see cref="AdminNotice"/>, the cohort's notices to its
/// admins (proposal ready, reminders, digest…). No pair ever sends the last two.
/// </summary>
public enum EmailKind { Introduction, CheckIn, CheckInReminder, Survey, SurveyReminder, PartnerWithdrew, PairPaused, PairResumed, PairEnded, MentorReplaced, Receipt, AdminNotice, Confirmation, AlreadyRegistered }

public enum AlertKind { NeedsHelp, AtRisk, LateIntroduction, Withdrew }

/// <summary>One person's answer to one month's check-in, how often they changed it, and whether their "we need help" reached the admins.</summary>
public sealed record PersonAnswer(Answer Answer, int Changes, bool HelpAlerted);

public sealed record SurveyAnswer(int Satisfaction, string GoalsMet, bool WillContinue, bool WouldJoinAgain, bool WouldMentor, string? Comment)
{
    /// <summary>The answers to the cohort's own survey questions, by question id (none when it asks none).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Equal when every answer is, the cohort's own ones by value (a survey sent again unchanged changes nothing).</summary>
    public bool Equals(SurveyAnswer? other) =>
        other is not null && (Satisfaction, GoalsMet, WillContinue, WouldJoinAgain, WouldMentor, Comment) ==
            (other.Satisfaction, other.GoalsMet, other.WillContinue, other.WouldJoinAgain, other.WouldMentor, other.Comment)
        && Answers.Count == other.Answers.Count
        && Answers.All(a => other.Answers.TryGetValue(a.Key, out var given) && a.Value.SequenceEqual(given, StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Satisfaction, GoalsMet, WillContinue, WouldJoinAgain, WouldMentor, Comment, Answers.Count);
}

/// <summary>The email last sent to the pair, so that an admin can have it sent again.</summary>
public sealed record SentEmail(EmailKind Kind, int Month, IReadOnlyList<string> To);

/// <summary>
/// A pair's workflow state: one document, advanced only by <see cref="PairDecider"/>. Times are instants (UTC offsets);
/// the schedule is computed in the mentee's time zone (the mentee leads), DST-correct.
/// </summary>
public sealed record Pair(
    string Id,
    string CohortId,
    Member Mentee,
    Member Mentor,
    PairStatus Status,
    int Month,
    IReadOnlyDictionary<int, Answer> Answers,
    int MonthsWithoutMeeting,
    DateTimeOffset LaunchedAt,
    DateTimeOffset? IntroducedAt,
    Due? NextDue,
    DateTimeOffset? NextDueAt,
    TimeSpan PausedFor,
    PairStatus? ResumeTo,
    DateTimeOffset? PausedAt,
    bool LateIntroduction,
    int Rematches,
    IReadOnlyDictionary<string, SurveyAnswer> Survey,
    DateTimeOffset? SurveySentAt,
    SentEmail? LastEmail,
    int Resends,
    string? CancelReason,
    bool EverAtRisk = false)
{
    /// <summary>Each person's latest answer to each month ("month:participantId"); the month itself keeps the strongest answer given.</summary>
    public IReadOnlyDictionary<string, PersonAnswer> AnswersBy { get; init; } = new Dictionary<string, PersonAnswer>();

    /// <summary>How often each person changed their survey answer from their manage page (bounded like check-in answers).</summary>
    public IReadOnlyDictionary<string, int> SurveyChanges { get; init; } = new Dictionary<string, int>();

    /// <summary>The mentors the pair had before a rematch (so that a replaced mentor can be told, and erasure finds them).</summary>
    public IReadOnlyList<Member> Former { get; init; } = [];

    /// <summary>Each person's answers to the cohort's mid-term pulse, by participant id.</summary>
    public IReadOnlyDictionary<string, PulseAnswer> Pulse { get; init; } = new Dictionary<string, PulseAnswer>();

    /// <summary>Who withdrew, when the pair ended because one of them did; a mentee whose mentor withdrew can be rematched.</summary>
    public string? WithdrawnBy { get; init; }

    public bool IsTerminal => Status is PairStatus.Completed or PairStatus.Cancelled;

    /// <summary>Running, sent a check-in, and no answer to it yet: who "unanswered" messages and nudges are for.</summary>
    public bool AwaitsAnswer() => Status is PairStatus.Active or PairStatus.AtRisk && Month >= 1 && !Answers.ContainsKey(Month);

    /// <summary>The months in which either person asked for help, whatever the other answered (the month itself keeps "we met" if one met).</summary>
    public IReadOnlyList<int> HelpRequestedMonths() => [.. AnswersBy
        .Where(kv => kv.Value.Answer == Answer.NeedHelp || kv.Value.HelpAlerted)
        .Select(kv => ReadAnswerKey(kv.Key).Month)
        .Distinct().Order()];

    /// <summary>The key of one person's answer to one month in <see cref="AnswersBy"/>.</summary>
    public static string AnswerKey(int month, string participantId) => $"{month}:{participantId}";

    public static (int Month, string ParticipantId) ReadAnswerKey(string key)
    {
        var at = key.IndexOf(':', StringComparison.Ordinal);
        return (int.Parse(key[..at], System.Globalization.CultureInfo.InvariantCulture), key[(at + 1)..]);
    }

    public IReadOnlyList<Member> Both => [Mentee, Mentor];

    /// <summary>One id per mentee and first mentor, so that starting the same pair twice collides on create.</summary>
    public static string IdFor(string menteeId, string mentorId) =>
        "pair-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{menteeId}\n{mentorId}")))[..20];

    /// <summary>A new pair from an approved proposal, its introduction due at once.</summary>
    public static Pair Start(string id, string cohortId, Member mentee, Member mentor, DateTimeOffset launchedAt, bool lateIntroduction) =>
        new(id, cohortId, mentee, mentor, PairStatus.Launched, 0, new Dictionary<int, Answer>(), 0, launchedAt, null,
            Due.Introduction, launchedAt, TimeSpan.Zero, null, null, lateIntroduction, 0, new Dictionary<string, SurveyAnswer>(), null, null, 0, null);
}

/// <summary>The cohort's facts a pair's schedule depends on.</summary>
public sealed record PairTerms(int TermMonths, CheckInCadence Cadence, TimeSpan ReminderAfter, TimeSpan SurveyOpenFor, int? PulseMonth = null)
{
    public static PairTerms For(Cohorts.Cohort cohort) => new(cohort.TermMonths, cohort.CheckInCadence, TimeSpan.FromDays(7), TimeSpan.FromDays(14), cohort.Pulse?.Month);
}
