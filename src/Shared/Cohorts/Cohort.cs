using MentorFlow.Shared.Matching;

namespace MentorFlow.Shared.Cohorts;

public sealed record NationalMeeting(string Name, DateOnly StartsOn, string City, string TimeZone);

public sealed record Eligibility(IReadOnlyList<CareerStage> MenteeStages, IReadOnlyList<CareerStage> MentorStages)
{
    public static Eligibility Default { get; } = new([CareerStage.Trainee, CareerStage.Early], [CareerStage.Mid, CareerStage.Late]);

    public bool Allows(Role role, CareerStage stage) =>
        (role == Role.Mentee ? MenteeStages : MentorStages).Contains(stage);
}

/// <summary>When an approved cohort launches: when an admin asks (the default), at once on approval, or on the program's start date.</summary>
public enum LaunchMode { Manual, OnApproval, OnProgramStart }

/// <summary>What the cohort's own schedule waits for next.</summary>
public enum CohortDue { IntakeClose, ApprovalReminder, DeadlinePassed, Launch, StartPairs, Digest, Erasure }

/// <summary>A cohort: one term of a society's mentorship program, anchored to its national meeting.</summary>
public sealed record Cohort(
    string Id,
    string Name,
    string Society,
    NationalMeeting NationalMeeting,
    DateOnly IntakeClosesOn,
    DateOnly ProgramStartsOn,
    int TermMonths,
    int IntroLeadDays,
    CheckInCadence CheckInCadence,
    Eligibility Eligibility,
    GeographyRule Geography,
    int MentorsPerMentee,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlyList<string> AdminEmails,
    CohortStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int? ApprovedProposal = null)
{
    public LaunchMode LaunchMode { get; init; } = LaunchMode.Manual;

    /// <summary>How long after the cohort closes its participants' personal data is kept; then it is erased.</summary>
    public int RetainPersonalDataDays { get; init; } = CohortRules.DefaultRetainPersonalDataDays;

    /// <summary>Set once the personal data of the cohort has been erased (its counts remain).</summary>
    public bool PersonalDataErased { get; init; }

    /// <summary>Where participants' replies go (the Reply-To of their emails); null: the first admin address.</summary>
    public string? ContactEmail { get; init; }

    /// <summary>The person behind every participant email's Reply-To (a method: nothing derived is stored).</summary>
    public Email.Recipient Contact() => new($"{Society} mentoring program", ContactEmail ?? AdminEmails[0]);

    /// <summary>The admin's pins and forbids for the next matching run.</summary>
    public MatchingSteering Steering { get; init; } = MatchingSteering.None;

    /// <summary>The version of the newest proposal; proposals are numbered 1, 2, … and never overwritten.</summary>
    public int? LatestProposal { get; init; }

    public CohortDue? NextDue { get; init; }

    public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>Fixed at launch, so that a repeated launch starts exactly the same pairs.</summary>
    public DateTimeOffset? LaunchedAt { get; init; }

    public bool LateIntroduction { get; init; }

    /// <summary>Pairs whose transitions keep failing (by id): retried with back-off; the admins hear once when one needs attention.</summary>
    public IReadOnlyDictionary<string, PairFailure> FailingPairs { get; init; } = new Dictionary<string, PairFailure>();

    /// <summary>The cohort's own intake questions, in the form's order (none by default).</summary>
    public IReadOnlyList<Intake.CustomQuestion> Questions { get; init; } = [];

    /// <summary>The mid-term pulse: one or two questions asked in one month's check-in (none by default).</summary>
    public Pairing.PulseCheck? Pulse { get; init; }

    /// <summary>The cohort's accent colour on participants' pages and emails (<c>#rrggbb</c>; the program's own when null): <see cref="Branding"/>.</summary>
    public string? AccentColor { get; init; }

    /// <summary>The cohort's logo at the top of its participants' pages and emails (its bytes are stored beside the cohort): <see cref="Logos"/>.</summary>
    public CohortLogo? Logo { get; init; }

    /// <summary>The cohort's own closing-survey questions, asked after the standard five and before the comment (none by default).</summary>
    public IReadOnlyList<Intake.CustomQuestion> SurveyQuestions { get; init; } = [];

    /// <summary>The last weekly digest's <see cref="DigestFigures.Fingerprint"/>, so that a week with nothing new sends nothing.</summary>
    public string? LastDigest { get; init; }

    /// <summary>The end of <see cref="IntakeClosesOn"/> in the national meeting's time zone.</summary>
    public DateTimeOffset IntakeClosesAt => Cohorts.Dates.StartOfDay(IntakeClosesOn.AddDays(1), NationalMeeting.TimeZone);

    /// <summary>Pairs should be introduced by then: <see cref="IntroLeadDays"/> before the national meeting starts.</summary>
    public DateTimeOffset IntroductionDeadline => Cohorts.Dates.StartOfDay(NationalMeeting.StartsOn.AddDays(-IntroLeadDays), NationalMeeting.TimeZone);

    public DateTimeOffset ProgramStartsAt => Cohorts.Dates.StartOfDay(ProgramStartsOn, NationalMeeting.TimeZone);
}

/// <summary>How often a pair's transition failed in a row, the last error, and when it is tried again.</summary>
public sealed record PairFailure(int Failures, string LastError, DateTimeOffset RetryAt);

public enum CohortStatus { Draft, IntakeOpen, IntakeClosed, Matched, Launched, Running, Closing, Closed }

public static class Dates
{
    /// <summary>Local midnight of <paramref name="day"/> in the zone (a skipped hour moves it later), as an instant.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
