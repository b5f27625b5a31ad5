using MentorFlow.Shared.Cohorts;

namespace MentorFlow.Shared.Intake;

public sealed record PreferencesForm(bool? DifferentInstitution, bool? DifferentRegion, bool? SameRegion);

/// <summary>An intake as submitted (JSON or the form): every field as sent, nothing trusted yet.</summary>
public sealed record IntakeForm(
    string? Role = null,
    string? FirstName = null,
    string? LastName = null,
    string? Email = null,
    string? CareerStage = null,
    string? Specialty = null,
    string? Subspecialty = null,
    string? PracticeSetting = null,
    string? Institution = null,
    string? City = null,
    string? Region = null,
    string? Country = null,
    string? TimeZone = null,
    IReadOnlyList<string>? Aspects = null,
    bool? AttendingNationalMeeting = null,
    PreferencesForm? Preferences = null,
    int? Capacity = null,
    string? Goals = null,
    IReadOnlyList<string>? Avoid = null,
    bool? Consent = null,
    IReadOnlyDictionary<string, IReadOnlyList<string?>?>? Answers = null);

public abstract record IntakeDecision
{
    private IntakeDecision() { }

    public sealed record Admitted(Participant Participant) : IntakeDecision;

    public sealed record Invalid(ValidationErrors Errors) : IntakeDecision;

    public sealed record IntakeNotOpen(CohortStatus Status) : IntakeDecision;
}

public static class IntakeRules
{
    public const int GoalsMax = 2000;
    public const int AvoidMaxItems = 20;
    public const int MaxCapacity = 3;

    /// <summary>
    /// Checks every field (collecting all errors) and the cohort's eligibility rule, then admits the participant, their id
    /// keyed with <paramref name="idSecret"/> (see <see cref="ParticipantIds"/>).
    /// </summary>
    public static IntakeDecision Decide(Cohort cohort, IntakeForm? form, DateTimeOffset now, byte[] idSecret, bool byAdmin = false)
    {
        var errors = new ValidationErrors();
        if (form is null)
        {
            errors.Add("body", "The intake fields are required.");
            return new IntakeDecision.Invalid(errors);
        }
        var role = Check.Enum<Role>(errors, "role", form.Role);
        var firstName = Check.IdentityLine(errors, "firstName", form.FirstName, Check.NameMax);
        var lastName = Check.IdentityLine(errors, "lastName", form.LastName, Check.NameMax);
        var email = Check.Email(errors, "email", form.Email);
        var stage = Check.Enum<CareerStage>(errors, "careerStage", form.CareerStage);
        var specialty = Check.Line(errors, "specialty", form.Specialty, Check.NameMax);
        var subspecialty = Check.Line(errors, "subspecialty", form.Subspecialty, Check.NameMax, required: false);
        var setting = Check.Enum<PracticeSetting>(errors, "practiceSetting", form.PracticeSetting);
        var institution = Check.IdentityLine(errors, "institution", form.Institution);
        var city = Check.Line(errors, "city", form.City, Check.NameMax);
        var region = Check.Line(errors, "region", form.Region, Check.NameMax);
        var country = Check.Country(errors, "country", form.Country);
        var timeZone = Check.TimeZone(errors, "timeZone", form.TimeZone);
        var aspects = Aspects(errors, form.Aspects);
        if (form.AttendingNationalMeeting is null)
        {
            errors.Add("attendingNationalMeeting", "Required: true or false.");
        }
        var preferences = new Preferences(
            form.Preferences?.DifferentInstitution ?? false,
            form.Preferences?.DifferentRegion ?? false,
            form.Preferences?.SameRegion ?? false);
        if (preferences.DifferentRegion && preferences.SameRegion)
        {
            errors.Add("preferences", "Choose at most one of differentRegion and sameRegion.");
        }
        var capacity = Capacity(errors, role, form.Capacity);
        var goals = Check.Text(errors, "goals", form.Goals, GoalsMax, required: true);
        var avoid = Avoid(errors, form.Avoid);
        var answers = CustomQuestions.Answers(errors, cohort.Questions, form.Answers);
        if (form.Consent != true)
        {
            errors.Add("consent", "Consent is required to take part.");
        }
        if (role is not null && stage is not null && !cohort.Eligibility.Allows(role.Value, stage.Value))
        {
            var allowed = role == Role.Mentee ? cohort.Eligibility.MenteeStages : cohort.Eligibility.MentorStages;
            errors.Add("careerStage",
                $"In this cohort a {Words.Of(role.Value)} must be {string.Join(" or ", allowed.Select(s => Words.Of(s)))}.");
        }
        if (!errors.IsEmpty)
        {
            return new IntakeDecision.Invalid(errors);
        }
        if (!(cohort.Status == CohortStatus.IntakeOpen || (byAdmin && AdminMayRegister(cohort.Status))))
        {
            return new IntakeDecision.IntakeNotOpen(cohort.Status);
        }
        return new IntakeDecision.Admitted(new Participant(
            ParticipantIds.For(cohort.Id, email!, idSecret), cohort.Id, role!.Value, firstName!, lastName!, email!, stage!.Value,
            specialty!, subspecialty, setting!.Value, institution!, city!, region!, country!, timeZone!, aspects!,
            form.AttendingNationalMeeting!.Value, preferences, capacity, goals!, avoid!, ParticipantStatus.Unconfirmed, now) { Answers = answers });
    }

    /// <summary>
    /// An admin adds, imports and edits registrations while intake is open and after it closed until the matching is approved (a
    /// late registration joins the next matching run); members only while it is open. After approval a registration is copied
    /// into its pair, and a person is brought in by pairing them (see the pair route).
    /// </summary>
    public static bool AdminMayRegister(CohortStatus status) => status is CohortStatus.IntakeOpen or CohortStatus.IntakeClosed;

    private static List<Aspect>? Aspects(ValidationErrors errors, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            errors.Add("aspects", $"Choose at least one of {Words.List<Aspect>()}.");
            return null;
        }
        var aspects = new List<Aspect>();
        foreach (var value in values)
        {
            if (!Words.TryParse<Aspect>(value, out var aspect))
            {
                errors.Add("aspects", $"Must be among {Words.List<Aspect>()}.");
                return null;
            }
            if (aspects.Contains(aspect))
            {
                errors.Add("aspects", $"'{Words.Of(aspect)}' is listed twice.");
                return null;
            }
            aspects.Add(aspect);
        }
        return aspects;
    }

    private static int? Capacity(ValidationErrors errors, Role? role, int? capacity)
    {
        if (role == Role.Mentor)
        {
            if (capacity is null)
            {
                errors.Add("capacity", $"Required for mentors: how many mentees, 1 to {MaxCapacity}.");
            }
            else if (capacity is < 1 or > MaxCapacity)
            {
                errors.Add("capacity", $"Must be between 1 and {MaxCapacity}.");
            }
            return capacity;
        }
        if (role == Role.Mentee && capacity is not null)
        {
            errors.Add("capacity", "Only mentors have a capacity.");
        }
        return null;
    }

    private static List<string>? Avoid(ValidationErrors errors, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return [];
        }
        if (values.Count > AvoidMaxItems)
        {
            errors.Add("avoid", $"At most {AvoidMaxItems} names or institutions.");
            return null;
        }
        var avoid = new List<string>();
        var probe = new ValidationErrors();
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            if (Check.IdentityLine(probe, "avoid", value) is { } line)
            {
                avoid.Add(line);
            }
        }
        if (!probe.IsEmpty)
        {
            errors.Add("avoid", "Each entry is one line of at most 200 characters, without control characters, '<' or '>'.");
            return null;
        }
        return avoid;
    }
}
