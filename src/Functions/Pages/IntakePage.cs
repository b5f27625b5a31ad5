using System.Text;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Pages;

/// <summary>The public intake form of a cohort, its confirmation, and the mapping from the form's post to an intake.</summary>
public static class IntakePage
{
    private static readonly Lazy<string[]> Zones = new(() =>
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId && z.Id.Contains('/')).Select(z => z.Id).Order(StringComparer.Ordinal)]);

    /// <summary>The intake form; with <paramref name="editAction"/>, the same form prefilled for a person changing their registration.</summary>
    public static string Render(Cohort cohort, IReadOnlyDictionary<string, StringValues>? posted = null, IDictionary<string, string[]>? errors = null,
        string? editAction = null)
    {
        errors ??= new Dictionary<string, string[]>();
        string Value(string name) => posted is not null && posted.TryGetValue(name, out var v) ? v.ToString() : "";
        bool Checked(string name, string value) => posted is not null && posted.TryGetValue(name, out var v) && v.Contains(value);
        var html = new StringBuilder();
        var meeting = cohort.NationalMeeting;
        html.Append($"""
            <h1>Join {Html.Encode(cohort.Name)}</h1>
            <p>{Html.Encode(cohort.Society)} pairs early-career members with experienced mentors for {cohort.TermMonths} months.
            Pairs are introduced before {Html.Encode(meeting.Name)} ({meeting.StartsOn:MMMM d, yyyy}, {Html.Encode(meeting.City)}) so that they can meet there.
            Intake closes on {cohort.IntakeClosesOn:MMMM d, yyyy}. Fields marked * are required.</p>
            """);
        if (errors.Count > 0)
        {
            html.Append("""<div class="summary" role="alert" aria-labelledby="error-title" tabindex="-1" id="errors"><h2 id="error-title">Please correct these fields</h2><ul>""");
            foreach (var (field, messages) in errors)
            {
                html.Append($"""<li><a href="#{Anchor(field)}">{Html.Encode(Label(field))}: {Html.Encode(string.Join(" ", messages))}</a></li>""");
            }
            html.Append("</ul></div>");
        }
        html.Append($"""<form method="post" action="{editAction ?? $"/api/cohorts/{cohort.Id}/intake"}" novalidate>""");

        html.Append("<fieldset><legend>About you</legend>");
        html.Append(Radios("role", "I am joining as a *", [("mentee", "Mentee"), ("mentor", "Mentor")], Value("role"), errors));
        html.Append(Text("firstName", "First name *", Value("firstName"), errors, autocomplete: "given-name", max: Check.NameMax));
        html.Append(Text("lastName", "Last name *", Value("lastName"), errors, autocomplete: "family-name", max: Check.NameMax));
        html.Append(Text("email", "Email *", Value("email"), errors, type: "email", autocomplete: "email", max: Check.EmailMax));
        html.Append(Select("careerStage", "Career stage *", Options<CareerStage>(), Value("careerStage"), errors,
            hint: $"Mentees: {Stages(cohort.Eligibility.MenteeStages)}. Mentors: {Stages(cohort.Eligibility.MentorStages)}."));
        html.Append("</fieldset><fieldset><legend>Your practice</legend>");
        html.Append(Text("specialty", "Specialty *", Value("specialty"), errors, max: Check.NameMax));
        html.Append(Text("subspecialty", "Subspecialty", Value("subspecialty"), errors, max: Check.NameMax));
        html.Append(Select("practiceSetting", "Practice setting *", Options<PracticeSetting>(), Value("practiceSetting"), errors));
        html.Append(Text("institution", "Institution *", Value("institution"), errors, autocomplete: "organization"));
        html.Append(Text("city", "City *", Value("city"), errors, autocomplete: "address-level2", max: Check.NameMax));
        html.Append(Text("region", "State or province *", Value("region"), errors, autocomplete: "address-level1", max: Check.NameMax));
        html.Append(Text("country", "Country code *", Value("country"), errors, hint: "Two letters, e.g. US, CA, GB.", max: 2));
        html.Append(Select("timeZone", "Time zone *", [.. Zones.Value.Select(z => (z, z))], Value("timeZone"), errors,
            hint: "Check-ins arrive at 09:00 on a weekday in this time zone."));
        html.Append("</fieldset><fieldset><legend>Mentoring</legend>");
        html.Append(Select("aspects", "Most important aspect *", Options<Aspect>(), posted is not null && posted.TryGetValue("aspects", out var a) ? a.FirstOrDefault() ?? "" : "", errors,
            hint: "Mentees: what you want mentoring in most. Mentors: what you offer most."));
        html.Append("""<fieldset><legend>Other aspects</legend>""");
        foreach (var (value, label) in Options<Aspect>())
        {
            var id = $"aspect-{value}";
            html.Append($"""<input type="checkbox" id="{id}" name="aspects" value="{value}"{(Checked("aspects", value) ? " checked" : "")}> <label class="inline" for="{id}">{label}</label> """);
        }
        html.Append("</fieldset>");
        html.Append(Radios("attendingNationalMeeting", $"Will you attend {meeting.Name}? *", [("true", "Yes"), ("false", "No")], Value("attendingNationalMeeting"), errors));
        html.Append("""<fieldset><legend>Preferences</legend>""");
        foreach (var (name, label) in new[]
        {
            ("preferences.differentInstitution", "A match from a different institution"),
            ("preferences.differentRegion", "A match from a different region"),
            ("preferences.sameRegion", "A match from my region"),
        })
        {
            var id = Anchor(name);
            html.Append($"""<div><input type="checkbox" id="{id}" name="{name}" value="true"{(Checked(name, "true") ? " checked" : "")}> <label class="inline" for="{id}">{label}</label></div>""");
        }
        html.Append(FieldError("preferences", errors));
        html.Append("</fieldset>");
        html.Append(Select("capacity", "Mentees you can take (mentors only)", [("1", "1"), ("2", "2"), ("3", "3")], Value("capacity"), errors));
        html.Append(TextArea("goals", "Your goals for this program *", Value("goals"), errors, IntakeRules.GoalsMax,
            "Mentees: what you want from the relationship. Mentors: what you hope to give."));
        html.Append(TextArea("avoid", "People or institutions to avoid", Value("avoid"), errors, 4000, "Optional, one per line; kept confidential."));
        html.Append("</fieldset>");
        var consentId = "consent";
        html.Append($"""
            <div><input type="checkbox" id="{consentId}" name="consent" value="true"{(Checked("consent", "true") ? " checked" : "")}{Invalid("consent", errors)}{Described("consent", errors)}>
            <label class="inline" for="{consentId}">I agree that the program team stores these answers to match me and run the program, and I will keep my pair's conversations confidential. *</label></div>
            {FieldError("consent", errors)}
            <button type="submit">{(editAction is null ? "Register" : "Save my changes")}</button>
            </form>
            """);
        return Layout.Page(editAction is null ? $"Join {cohort.Name}" : "Change your registration", html.ToString());
    }

    /// <summary>The same page for a new address and a known one: it says nothing about whether the address was registered.</summary>
    public static string CheckYourEmail(Cohort cohort, Participant participant) => Layout.Page("Check your email", $"""
        <h1>Thank you, {Html.Encode(participant.FirstName)}</h1>
        <p role="status">Please check your email: we sent a message to {Html.Encode(participant.Email)} about {Html.Encode(cohort.Name)}.</p>
        <p>To complete your registration as a {Words.Of(participant.Role)}, open the link in that email and press the button on the page within 7 days. Until then you are not registered.</p>
        """);

    public static string Closed(Cohort cohort) =>
        $"<h1>{Html.Encode(cohort.Name)}</h1>\n<p>Intake for this cohort is not open ({Words.Of(cohort.Status)}). Please contact the {Html.Encode(cohort.Society)} program team.</p>";

    /// <summary>A stored registration as the form's fields, to prefill the form for a change.</summary>
    public static Dictionary<string, StringValues> FieldsOf(Participant p) => new()
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
    };

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
            capacity, One("goals"), avoid, Bool("consent"));
    }

    private static (string Value, string Label)[] Options<TEnum>() where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(v => (Words.Of(v), Humanize(v.ToString())))];

    private static string Stages(IEnumerable<CareerStage> stages) => string.Join(" or ", stages.Select(s => Words.Of(s)));

    private static string Humanize(string name) => name switch
    {
        "Wellbeing" => "Wellbeing / work–life",
        "Navigation" => "Navigation (under-represented physicians)",
        _ => name,
    };

    private static string Anchor(string field) => field.Replace('.', '-');

    private static string Label(string field) => field switch
    {
        "attendingNationalMeeting" => "National meeting",
        "preferences" => "Preferences",
        _ => char.ToUpperInvariant(field[0]) + field[1..],
    };

    private static string Invalid(string field, IDictionary<string, string[]> errors) => errors.ContainsKey(field) ? " aria-invalid=\"true\"" : "";

    private static string Described(string field, IDictionary<string, string[]> errors, string? hintId = null)
    {
        var ids = new List<string>();
        if (hintId is not null)
        {
            ids.Add(hintId);
        }
        if (errors.ContainsKey(field))
        {
            ids.Add($"{Anchor(field)}-error");
        }
        return ids.Count == 0 ? "" : $" aria-describedby=\"{string.Join(' ', ids)}\"";
    }

    private static string FieldError(string field, IDictionary<string, string[]> errors) =>
        errors.TryGetValue(field, out var messages) ? $"""<p class="error" id="{Anchor(field)}-error">{Html.Encode(string.Join(" ", messages))}</p>""" : "";

    private static string Hint(string field, string? hint) => hint is null ? "" : $"""<p class="hint" id="{Anchor(field)}-hint">{Html.Encode(hint)}</p>""";

    private static string Text(string name, string label, string value, IDictionary<string, string[]> errors,
        string type = "text", string? autocomplete = null, string? hint = null, int max = Check.LineMax)
    {
        var id = Anchor(name);
        return $"""
            <label for="{id}">{Html.Encode(label)}</label>{Hint(name, hint)}{FieldError(name, errors)}
            <input type="{type}" id="{id}" name="{name}" value="{Html.Encode(value)}" maxlength="{max}"{(autocomplete is null ? "" : $" autocomplete=\"{autocomplete}\"")}{(label.EndsWith('*') ? " required" : "")}{Invalid(name, errors)}{Described(name, errors, hint is null ? null : id + "-hint")}>
            """;
    }

    private static string TextArea(string name, string label, string value, IDictionary<string, string[]> errors, int max, string hint)
    {
        var id = Anchor(name);
        return $"""
            <label for="{id}">{Html.Encode(label)}</label>{Hint(name, hint)}{FieldError(name, errors)}
            <textarea id="{id}" name="{name}" rows="4" maxlength="{max}"{(label.EndsWith('*') ? " required" : "")}{Invalid(name, errors)}{Described(name, errors, id + "-hint")}>{Html.Encode(value)}</textarea>
            """;
    }

    private static string Select(string name, string label, (string Value, string Label)[] options, string selected, IDictionary<string, string[]> errors, string? hint = null)
    {
        var id = Anchor(name);
        var html = new StringBuilder($"""
            <label for="{id}">{Html.Encode(label)}</label>{Hint(name, hint)}{FieldError(name, errors)}
            <select id="{id}" name="{name}"{(label.EndsWith('*') ? " required" : "")}{Invalid(name, errors)}{Described(name, errors, hint is null ? null : id + "-hint")}><option value="">Choose…</option>
            """);
        foreach (var (value, text) in options)
        {
            html.Append($"""<option value="{Html.Encode(value)}"{(value == selected ? " selected" : "")}>{Html.Encode(text)}</option>""");
        }
        return html.Append("</select>").ToString();
    }

    private static string Radios(string name, string legend, (string Value, string Label)[] options, string selected, IDictionary<string, string[]> errors)
    {
        var html = new StringBuilder($"""<fieldset id="{Anchor(name)}"{Described(name, errors)}><legend>{Html.Encode(legend)}</legend>{FieldError(name, errors)}""");
        foreach (var (value, text) in options)
        {
            var id = $"{Anchor(name)}-{value}";
            html.Append($"""<input type="radio" id="{id}" name="{name}" value="{value}"{(value == selected ? " checked" : "")}{Invalid(name, errors)}> <label class="inline" for="{id}">{Html.Encode(text)}</label> """);
        }
        return html.Append("</fieldset>").ToString();
    }
}
