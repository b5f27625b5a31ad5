namespace MentorFlow.Shared.Cohorts;

public sealed record NationalMeetingForm(string? Name, string? StartsOn, string? City, string? TimeZone);

public sealed record EligibilityForm(IReadOnlyList<string>? MenteeStages, IReadOnlyList<string>? MentorStages);

/// <summary>A cohort as an admin submits it: every field as sent, nothing trusted yet.</summary>
public sealed record CohortForm(
    string? Name,
    string? Society,
    NationalMeetingForm? NationalMeeting,
    string? IntakeClosesOn,
    string? ProgramStartsOn,
    int? TermMonths,
    int? IntroLeadDays,
    string? CheckInCadence,
    EligibilityForm? Eligibility,
    string? Geography,
    int? MentorsPerMentee,
    IReadOnlyDictionary<string, double>? Weights,
    IReadOnlyList<string>? AdminEmails,
    string? LaunchMode = null,
    string? ContactEmail = null);

public static class CohortRules
{
    public const int DefaultTermMonths = 9, MaxTermMonths = 24;
    public const int DefaultIntroLeadDays = 21;
    public const int DefaultRetainPersonalDataDays = 365;

    /// <summary>The criteria a cohort may weigh in matching, with their default weights.</summary>
    public static IReadOnlyDictionary<string, double> DefaultWeights { get; } = new Dictionary<string, double>
    {
        ["aspects"] = 10,
        ["firstAspect"] = 6,
        ["specialty"] = 5,
        ["subspecialty"] = 3,
        ["practiceSetting"] = 2,
        ["timeZone"] = 2,
        ["nationalMeeting"] = 4,
        ["geography"] = 3,
    };

    public static Validated<Cohort> Validate(CohortForm? form, string id, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (form is null)
        {
            errors.Add("body", "A JSON object with the cohort's fields is required.");
            return Validated<Cohort>.Invalid(errors);
        }
        var name = Check.Line(errors, "name", form.Name);
        var society = Check.Line(errors, "society", form.Society);
        NationalMeeting? meeting = null;
        if (form.NationalMeeting is null)
        {
            errors.Add("nationalMeeting", "Required: name, startsOn, city and timeZone of the society's national meeting.");
        }
        else
        {
            var m = form.NationalMeeting;
            var meetingName = Check.Line(errors, "nationalMeeting.name", m.Name);
            var startsOn = Check.Date(errors, "nationalMeeting.startsOn", m.StartsOn);
            var city = Check.Line(errors, "nationalMeeting.city", m.City);
            var zone = Check.TimeZone(errors, "nationalMeeting.timeZone", m.TimeZone);
            if (meetingName is not null && startsOn is not null && city is not null && zone is not null)
            {
                meeting = new NationalMeeting(meetingName, startsOn.Value, city, zone);
            }
        }
        var intakeClosesOn = Check.Date(errors, "intakeClosesOn", form.IntakeClosesOn);
        var programStartsOn = Check.Date(errors, "programStartsOn", form.ProgramStartsOn);
        if (intakeClosesOn is not null && programStartsOn is not null && intakeClosesOn > programStartsOn)
        {
            errors.Add("intakeClosesOn", "Intake must close on or before the program starts.");
        }
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (intakeClosesOn is not null && intakeClosesOn < today)
        {
            errors.Add("intakeClosesOn", "Must not be in the past.");
        }
        var termMonths = form.TermMonths ?? DefaultTermMonths;
        if (termMonths is < 1 or > MaxTermMonths)
        {
            errors.Add("termMonths", $"Must be between 1 and {MaxTermMonths}.");
        }
        var introLeadDays = form.IntroLeadDays ?? DefaultIntroLeadDays;
        if (introLeadDays is < 0 or > 120)
        {
            errors.Add("introLeadDays", "Must be between 0 and 120.");
        }
        if (meeting is not null && intakeClosesOn is not null && introLeadDays is >= 0 and <= 120 && intakeClosesOn.Value.AddDays(1) > meeting.StartsOn.AddDays(-introLeadDays))
        {
            errors.Add("intakeClosesOn", $"Intake must close before the introduction deadline ({meeting.StartsOn.AddDays(-introLeadDays):yyyy-MM-dd}: {introLeadDays} days before the national meeting), so that pairs can be matched and introduced in time.");
        }
        if (meeting is not null && programStartsOn is not null && programStartsOn > meeting.StartsOn)
        {
            errors.Add("programStartsOn", "The program must start on or before the national meeting, which its pairs are introduced for.");
        }
        var contactEmail = form.ContactEmail is null ? null : Check.Email(errors, "contactEmail", form.ContactEmail);
        var launchMode = form.LaunchMode is null ? Cohorts.LaunchMode.Manual : Check.Enum<LaunchMode>(errors, "launchMode", form.LaunchMode);
        var cadence = form.CheckInCadence is null ? CheckInCadence.Monthly : Check.Enum<CheckInCadence>(errors, "checkInCadence", form.CheckInCadence);
        var eligibility = ValidateEligibility(errors, form.Eligibility);
        var geography = form.Geography is null ? GeographyRule.Any : Check.Enum<GeographyRule>(errors, "geography", form.Geography);
        var mentorsPerMentee = form.MentorsPerMentee ?? 1;
        if (mentorsPerMentee is < 1 or > 3)
        {
            errors.Add("mentorsPerMentee", "Must be 1, 2 or 3.");
        }
        var weights = new Dictionary<string, double>(DefaultWeights);
        foreach (var (key, value) in form.Weights ?? new Dictionary<string, double>())
        {
            if (!DefaultWeights.ContainsKey(key))
            {
                errors.Add($"weights.{key}", $"Unknown criterion: use {string.Join(", ", DefaultWeights.Keys)}.");
            }
            else if (!double.IsFinite(value) || value is < 0 or > 100)
            {
                errors.Add($"weights.{key}", "Must be a number from 0 to 100.");
            }
            else
            {
                weights[key] = value;
            }
        }
        var adminEmails = new List<string>();
        if (form.AdminEmails is null || form.AdminEmails.Count == 0)
        {
            errors.Add("adminEmails", "At least one admin email is required (alerts and reports go there).");
        }
        else if (form.AdminEmails.Count > 10)
        {
            errors.Add("adminEmails", "At most 10 admin emails.");
        }
        else
        {
            foreach (var email in form.AdminEmails)
            {
                if (Check.Email(errors, "adminEmails", email) is { } valid)
                {
                    adminEmails.Add(valid);
                }
            }
        }
        if (!errors.IsEmpty)
        {
            return Validated<Cohort>.Invalid(errors);
        }
        return Validated<Cohort>.Valid(new Cohort(
            id, name!, society!, meeting!, intakeClosesOn!.Value, programStartsOn!.Value, termMonths, introLeadDays,
            cadence!.Value, eligibility!, geography!.Value, mentorsPerMentee, weights, adminEmails, CohortStatus.Draft, now, now) { LaunchMode = launchMode!.Value, ContactEmail = contactEmail });
    }

    private static Eligibility? ValidateEligibility(ValidationErrors errors, EligibilityForm? form)
    {
        if (form is null)
        {
            return Eligibility.Default;
        }
        var mentees = Stages(errors, "eligibility.menteeStages", form.MenteeStages, Eligibility.Default.MenteeStages);
        var mentors = Stages(errors, "eligibility.mentorStages", form.MentorStages, Eligibility.Default.MentorStages);
        return mentees is null || mentors is null ? null : new Eligibility(mentees, mentors);
    }

    private static List<CareerStage>? Stages(ValidationErrors errors, string field, IReadOnlyList<string>? values, IReadOnlyList<CareerStage> fallback)
    {
        if (values is null)
        {
            return [.. fallback];
        }
        if (values.Count == 0)
        {
            errors.Add(field, $"At least one of {Words.List<CareerStage>()}.");
            return null;
        }
        var stages = new List<CareerStage>();
        foreach (var value in values)
        {
            if (!Words.TryParse<CareerStage>(value, out var stage))
            {
                errors.Add(field, $"Must be one of {Words.List<CareerStage>()}.");
                return null;
            }
            if (!stages.Contains(stage))
            {
                stages.Add(stage);
            }
        }
        return stages;
    }
}
