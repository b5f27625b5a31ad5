namespace MentorFlow.Shared.Cohorts;

public sealed record NationalMeeting(string Name, DateOnly StartsOn, string City, string TimeZone);

public sealed record Eligibility(IReadOnlyList<CareerStage> MenteeStages, IReadOnlyList<CareerStage> MentorStages)
{
    public static Eligibility Default { get; } = new([CareerStage.Trainee, CareerStage.Early], [CareerStage.Mid, CareerStage.Late]);

    public bool Allows(Role role, CareerStage stage) =>
        (role == Role.Mentee ? MenteeStages : MentorStages).Contains(stage);
}

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
    int? ApprovedProposal = null);

public enum CohortStatus { Draft, IntakeOpen, IntakeClosed, Matched, Launched, Running, Closing, Closed }
