using System.Globalization;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Admin;

/// <summary>The console's cohort form, named field for field like the API's JSON, read into the API's <see cref="CohortForm"/>.</summary>
public static class CohortFormPost
{
    /// <summary>The form's fields in the page's order, labelled as it shows them (the page's labels and its error summary read this list).</summary>
    public static readonly MentorFlow.Functions.Pages.FormFields Fields = new([
        ("name", "Name *"), ("society", "Society *"), ("contactEmail", "Contact email for participants"), ("adminEmails", "Admin emails *"),
        ("nationalMeeting.name", "Meeting name *"), ("nationalMeeting.startsOn", "First day of the meeting *"), ("nationalMeeting.city", "City of the meeting *"),
        ("nationalMeeting.timeZone", "Time zone of the meeting *"), ("nationalMeeting", "The national meeting"),
        ("intakeClosesOn", "Intake closes on *"), ("programStartsOn", "Program starts on *"), ("termMonths", "Term (months)"),
        ("introLeadDays", "Introduce pairs this many days before the meeting"), ("checkInCadence", "Check-in cadence"), ("launchMode", "Launch"),
        ("eligibility.menteeStages", "Career stages that may join as mentees"), ("eligibility.mentorStages", "Career stages that may join as mentors"),
        ("eligibility", "Eligibility"), ("geography", "Geography"), ("mentorsPerMentee", "Mentors per mentee"),
        .. CohortRules.DefaultWeights.Keys.Select(criterion => ($"weights.{criterion}", $"Weight of {criterion}")), ("weights", "Weights"),
    ]);

    public static Dictionary<string, StringValues> Defaults() => new(StringComparer.Ordinal)
    {
        ["termMonths"] = CohortRules.DefaultTermMonths.ToString(CultureInfo.InvariantCulture),
        ["introLeadDays"] = CohortRules.DefaultIntroLeadDays.ToString(CultureInfo.InvariantCulture),
        ["mentorsPerMentee"] = "1",
        ["eligibility.menteeStages"] = new StringValues([.. Eligibility.Default.MenteeStages.Select(Words.Of)]),
        ["eligibility.mentorStages"] = new StringValues([.. Eligibility.Default.MentorStages.Select(Words.Of)]),
        ["nationalMeeting.timeZone"] = "America/Chicago",
    };

    /// <summary>An existing cohort's settings as the form's fields.</summary>
    public static Dictionary<string, StringValues> From(Apis.Contracts.CohortResponse c)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal)
        {
            ["name"] = c.Name, ["society"] = c.Society, ["contactEmail"] = c.ContactEmail, ["adminEmails"] = string.Join('\n', c.AdminEmails),
            ["nationalMeeting.name"] = c.NationalMeeting.Name, ["nationalMeeting.startsOn"] = c.NationalMeeting.StartsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["nationalMeeting.city"] = c.NationalMeeting.City, ["nationalMeeting.timeZone"] = c.NationalMeeting.TimeZone,
            ["intakeClosesOn"] = c.IntakeClosesOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["programStartsOn"] = c.ProgramStartsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["termMonths"] = c.TermMonths.ToString(CultureInfo.InvariantCulture), ["introLeadDays"] = c.IntroLeadDays.ToString(CultureInfo.InvariantCulture),
            ["checkInCadence"] = c.CheckInCadence, ["launchMode"] = c.LaunchMode, ["geography"] = c.Geography,
            ["mentorsPerMentee"] = c.MentorsPerMentee.ToString(CultureInfo.InvariantCulture),
            ["eligibility.menteeStages"] = new StringValues([.. c.Eligibility.MenteeStages]), ["eligibility.mentorStages"] = new StringValues([.. c.Eligibility.MentorStages]),
        };
        foreach (var (criterion, weight) in c.Weights)
        {
            values[$"weights.{criterion}"] = weight.ToString(CultureInfo.InvariantCulture);
        }
        return values;
    }

    /// <summary>The form as the API's body; a number that is not a number is the form's own error (the API's JSON would refuse it too).</summary>
    public static (CohortForm Form, ValidationErrors Errors) Read(IReadOnlyDictionary<string, StringValues> values)
    {
        var errors = new ValidationErrors();
        string? Text(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString() : null;
        int? Number(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
            errors.Add(name, "Must be a whole number.");
            return null;
        }
        IReadOnlyList<string> Many(string name) => values.TryGetValue(name, out var v) ? [.. v.OfType<string>()] : [];
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var criterion in CohortRules.DefaultWeights.Keys)
        {
            if (Text($"weights.{criterion}") is { } text)
            {
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
                {
                    weights[criterion] = weight;
                }
                else
                {
                    errors.Add($"weights.{criterion}", "Must be a number from 0 to 100.");
                }
            }
        }
        var admins = (Text("adminEmails") ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var form = new CohortForm(Text("name"), Text("society"),
            new NationalMeetingForm(Text("nationalMeeting.name"), Text("nationalMeeting.startsOn"), Text("nationalMeeting.city"), Text("nationalMeeting.timeZone")),
            Text("intakeClosesOn"), Text("programStartsOn"), Number("termMonths"), Number("introLeadDays"), Text("checkInCadence"),
            new EligibilityForm(Many("eligibility.menteeStages"), Many("eligibility.mentorStages")), Text("geography"), Number("mentorsPerMentee"),
            weights, admins, Text("launchMode"), Text("contactEmail"));
        return (form, errors);
    }
}
