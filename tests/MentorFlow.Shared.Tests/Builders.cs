using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Tests;

public static class ACohort
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The secret participant ids are keyed with in these tests.</summary>
    public static readonly byte[] IdSecret = System.Text.Encoding.UTF8.GetBytes("a test secret for participant ids, 32+ chars");

    public static CohortForm Form() => new(
        "Mentor Match 2027", "ASRA",
        new NationalMeetingForm("Spring Meeting", "2027-03-25", "Austin", "America/Chicago"),
        "2027-02-01", "2027-03-01", null, null, null, null, null, null, null, ["admin@society.example"]);

    public static Cohort Open() => Draft() with { Status = CohortStatus.IntakeOpen };

    public static Cohort Draft() => CohortRules.Validate(Form(), "mentor-match-2027-abc123", Now).Value!;
}

public static class AnIntake
{
    public static IntakeForm Mentee() => new(
        Role: "mentee", FirstName: "Ana", LastName: "López", Email: "ana.lopez@hospital.example", CareerStage: "trainee",
        Specialty: "Anesthesiology", Subspecialty: "Pediatric", PracticeSetting: "academic", Institution: "UT Southwestern",
        City: "Dallas", Region: "TX", Country: "US", TimeZone: "America/Chicago", Aspects: ["research", "wellbeing"],
        AttendingNationalMeeting: true, Preferences: new PreferencesForm(true, false, false), Capacity: null,
        Goals: "Publish my first paper.", Avoid: null, Consent: true);

    public static IntakeForm Mentor() => Mentee() with
    {
        Role = "mentor", FirstName = "Ben", LastName = "Okafor", Email = "ben@clinic.example", CareerStage = "late", Capacity = 2,
        Aspects = ["research", "career"],
    };
}

public static class Decisions
{
    public static ValidationErrors ErrorsOf(IntakeDecision decision) =>
        Assert.IsType<IntakeDecision.Invalid>(decision).Errors;

    public static Participant AdmittedOf(IntakeDecision decision) =>
        Assert.IsType<IntakeDecision.Admitted>(decision).Participant;
}

public static class People
{
    /// <summary><paramref name="mentees"/> mentees, then <paramref name="mentors"/> mentors with room for one each, all compatible.</summary>
    public static List<Participant> MenteesAndMentors(int mentees, int mentors) =>
        [.. Enumerable.Range(0, mentees).Select(i => AParticipant.Mentee($"Mentee{i}")), .. Enumerable.Range(0, mentors).Select(i => AParticipant.Mentor($"Mentor{i}"))];
}
