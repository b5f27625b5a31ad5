using MentorFlow.Shared;
using MentorFlow.Shared.Intake;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Pages;

/// <summary>The intake form's fields: a stored registration as fields, the post as an intake, the words for each field and option.</summary>
public static class IntakeFields
{
    /// <summary>A stored registration as the form's fields, to prefill the form for a change.</summary>
    public static Dictionary<string, StringValues> FieldsOf(Participant p) => new Dictionary<string, StringValues>
    {
        ["role"] = Words.Of(p.Role), ["firstName"] = p.FirstName, ["lastName"] = p.LastName, ["email"] = p.Email, ["careerStage"] = Words.Of(p.CareerStage),
        ["specialty"] = p.Specialty, ["subspecialty"] = p.Subspecialty ?? "", ["practiceSetting"] = Words.Of(p.PracticeSetting), ["institution"] = p.Institution,
        ["city"] = p.City, ["region"] = p.Region, ["country"] = p.Country, ["timeZone"] = p.TimeZone,
        ["aspects"] = new StringValues([.. p.Aspects.Select(a => Words.Of(a))]),
        ["attendingNationalMeeting"] = p.AttendingNationalMeeting ? "true" : "false",
        ["preferences.differentInstitution"] = p.Preferences.DifferentInstitution ? "true" : "",
        ["preferences.differentRegion"] = p.Preferences.DifferentRegion ? "true" : "",
        ["preferences.sameRegion"] = p.Preferences.SameRegion ? "true" : "",
        ["capacity"] = p.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ["goals"] = p.Goals, ["avoid"] = string.Join("\n", p.Avoid), ["consent"] = "true",
    }.Concat(p.Answers.Select(a => KeyValuePair.Create($"{AnswerPrefix}{a.Key}", new StringValues([.. a.Value]))))
        .ToDictionary(f => f.Key, f => f.Value);

    /// <summary>The form's fields for the cohort's own questions are named <c>answers.q1</c>, <c>answers.q2</c>, …</summary>
    public const string AnswerPrefix = "answers.";

    /// <summary>The form's post as an intake. The form lists the most important aspect first; repeats are dropped.</summary>
    public static IntakeForm FromForm(IReadOnlyDictionary<string, StringValues> fields)
    {
        string? One(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v.FirstOrDefault()) ? v.FirstOrDefault() : null;
        bool? Bool(string name) => One(name) switch { "true" or "on" => true, "false" => false, _ => null };
        var role = One("role");
        var capacityText = One("capacity");
        int? capacity = role == "mentee" || capacityText is null ? null : int.TryParse(capacityText, out var c) ? c : 0;
        var aspects = fields.TryGetValue("aspects", out var a) ? a.Where(x => !string.IsNullOrEmpty(x)).Select(x => x!).Distinct().ToList() : null;
        var avoid = One("avoid")?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        return new IntakeForm(
            role, One("firstName"), One("lastName"), One("email"), One("careerStage"), One("specialty"), One("subspecialty"),
            One("practiceSetting"), One("institution"), One("city"), One("region"), One("country"), One("timeZone"), aspects,
            Bool("attendingNationalMeeting"),
            new PreferencesForm(Bool("preferences.differentInstitution"), Bool("preferences.differentRegion"), Bool("preferences.sameRegion")),
            capacity, One("goals"), avoid, Bool("consent"),
            AnswersOf(fields));
    }

    /// <summary>The answers to a cohort's own questions in a form's post (<c>answers.q1</c>, …), by question id.</summary>
    public static Dictionary<string, IReadOnlyList<string?>?> AnswersOf(IReadOnlyDictionary<string, StringValues> fields) =>
        fields.Where(f => f.Key.StartsWith(AnswerPrefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[AnswerPrefix.Length..], f => (IReadOnlyList<string?>?)[.. f.Value], StringComparer.Ordinal);

    /// <summary>An enum's choices as the form offers them: the API's spelling, in words a member reads.</summary>
    public static (string Value, string Label)[] Options<TEnum>() where TEnum : struct, Enum => Choices.Of<TEnum>(v => Humanize(v.ToString()));

    private static string Humanize(string name) => name switch
    {
        "Wellbeing" => "Wellbeing / work–life",
        "Navigation" => "Navigation (under-represented physicians)",
        _ => name,
    };

    /// <summary>The form's fields for this cohort, in its order: the fixed ones, then the cohort's own questions before consent (the error summary's order and labels).</summary>
    public static FormFields FormFor(Shared.Cohorts.Cohort cohort) => cohort.Questions.Count == 0 ? Form : new([
        .. Fixed.Where(f => f.Name != "consent"),
        .. cohort.Questions.Select(q => ($"{AnswerPrefix}{q.Id}", q.Label + (q.Required ? " *" : ""))),
        .. Fixed.Where(f => f.Name == "consent")]);

    /// <summary>The form's fields in its order, labelled as it shows them: the labels and the error summary read this one list.</summary>
    public static readonly FormFields Form = new(Fixed);

    private static (string Name, string Label)[] Fixed => [
        ("role", "I am joining as a *"), ("firstName", "First name *"), ("lastName", "Last name *"), ("email", "Email *"),
        ("careerStage", "Career stage *"), ("specialty", "Specialty *"), ("subspecialty", "Subspecialty"),
        ("practiceSetting", "Practice setting *"), ("institution", "Institution *"), ("city", "City *"), ("region", "State or province *"),
        ("country", "Country code *"), ("timeZone", "Time zone *"), ("aspects", "Most important aspect *"),
        ("attendingNationalMeeting", "Attending the national meeting *"), ("preferences", "Preferences"),
        ("capacity", "Mentees you can take (mentors only)"), ("goals", "Your goals for this program *"),
        ("avoid", "People or institutions to avoid"),
        ("consent", "I agree that the program team stores these answers to match me and run the program, and I will keep my pair's conversations confidential. *")];
}
