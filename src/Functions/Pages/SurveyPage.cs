using System.Text;
using MentorFlow.Shared;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Pairing;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Pages;

/// <summary>The closing survey: satisfaction 1–5, goals met, will you continue, would you take part again / as a mentor, a comment.</summary>
public static class SurveyPage
{
    private static readonly (string Name, string Legend, (string Value, string Label)[] Options)[] Questions =
    [
        ("satisfaction", "How satisfied are you with the program? *", [("1", "1 — not at all"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5 — very")]),
        ("goalsMet", "Did the pair meet the goals it set? *", [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]),
        ("willContinue", "Will you keep meeting after the program? *", [("true", "Yes"), ("false", "No")]),
        ("wouldJoinAgain", "Would you take part again? *", [("true", "Yes"), ("false", "No")]),
        ("wouldMentor", "Would you take part as a mentor? *", [("true", "Yes"), ("false", "No")]),
    ];

    public static string Render(Member member, Member partner, string action, IReadOnlyDictionary<string, StringValues>? posted, IDictionary<string, string[]>? errors)
    {
        errors ??= new Dictionary<string, string[]>();
        var html = new StringBuilder($"""
            <h1>Closing survey</h1>
            <p>{Html.Encode(member.Name)}, about your mentoring with {Html.Encode(partner.Name)}. Fields marked * are required.</p>
            """);
        if (errors.Count > 0)
        {
            html.Append($"""<div class="summary" role="alert"><h2>Please answer</h2><ul>{string.Concat(errors.Select(e => $"<li><a href=\"#{e.Key}\">{Html.Encode(string.Join(" ", e.Value))}</a></li>"))}</ul></div>""");
        }
        html.Append($"""<form method="post" action="{action}">""");
        foreach (var (name, legend, options) in Questions)
        {
            var selected = posted is not null && posted.TryGetValue(name, out var v) ? v.ToString() : "";
            html.Append($"""<fieldset id="{name}"{(errors.ContainsKey(name) ? $" aria-describedby=\"{name}-error\"" : "")}><legend>{Html.Encode(legend)}</legend>""");
            if (errors.TryGetValue(name, out var messages))
            {
                html.Append($"""<p class="error" id="{name}-error">{Html.Encode(string.Join(" ", messages))}</p>""");
            }
            foreach (var (value, label) in options)
            {
                html.Append($"""<input type="radio" id="{name}-{value}" name="{name}" value="{value}"{(value == selected ? " checked" : "")}> <label class="inline" for="{name}-{value}">{Html.Encode(label)}</label> """);
            }
            html.Append("</fieldset>");
        }
        var comment = posted is not null && posted.TryGetValue("comment", out var c) ? c.ToString() : "";
        html.Append($"""
            <label for="comment">Anything else you want the program team to know?</label>
            <textarea id="comment" name="comment" rows="4" maxlength="2000">{Html.Encode(comment)}</textarea>
            <button type="submit">Send</button></form>
            """);
        return Layout.Page("Closing survey", html.ToString());
    }

    public static (SurveyAnswer? Answer, ValidationErrors Errors) Parse(IReadOnlyDictionary<string, StringValues> fields)
    {
        var errors = new ValidationErrors();
        string? One(string name) => fields.TryGetValue(name, out var v) ? v.FirstOrDefault() : null;
        var satisfaction = int.TryParse(One("satisfaction"), out var s) && s is >= 1 and <= 5 ? s : (int?)null;
        if (satisfaction is null)
        {
            errors.Add("satisfaction", "Choose a satisfaction from 1 to 5.");
        }
        var goals = One("goalsMet");
        if (goals is not ("yes" or "partly" or "no"))
        {
            errors.Add("goalsMet", "Choose yes, partly or no.");
        }
        bool? Flag(string name, string message)
        {
            var value = One(name);
            if (value is "true" or "false")
            {
                return value == "true";
            }
            errors.Add(name, message);
            return null;
        }
        var willContinue = Flag("willContinue", "Say whether you will keep meeting.");
        var again = Flag("wouldJoinAgain", "Say whether you would take part again.");
        var mentor = Flag("wouldMentor", "Say whether you would take part as a mentor.");
        var comment = Check.Text(errors, "comment", One("comment"), 2000, required: false);
        return errors.IsEmpty
            ? (new SurveyAnswer(satisfaction!.Value, goals!, willContinue!.Value, again!.Value, mentor!.Value, comment), errors)
            : (null, errors);
    }
}
