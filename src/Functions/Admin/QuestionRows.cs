using MentorFlow.Shared;
using MentorFlow.Shared.Intake;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Admin;

/// <summary>
/// Questions as rows of a console form (<c>questions[i].label</c>, <c>.type</c>, <c>.options</c> one a line, <c>.required</c>,
/// <c>.matchWeight</c>): the intake questions' page and the pulse's page both write them this way.
/// </summary>
public static class QuestionRows
{
    /// <summary>The form's values for stored questions, a row each.</summary>
    public static Dictionary<string, StringValues> Values(IReadOnlyList<CustomQuestion> questions) => questions.SelectMany((q, i) => new[]
    {
        KeyValuePair.Create($"questions[{i}].label", new StringValues(q.Label)),
        KeyValuePair.Create($"questions[{i}].type", new StringValues(Words.Of(q.Type))),
        KeyValuePair.Create($"questions[{i}].options", new StringValues(string.Join('\n', q.Options))),
        KeyValuePair.Create($"questions[{i}].required", new StringValues(q.Required ? "true" : "")),
        KeyValuePair.Create($"questions[{i}].matchWeight", new StringValues(q.MatchWeight.ToString(System.Globalization.CultureInfo.InvariantCulture))),
    }).ToDictionary();

    /// <summary>The rows with a question (a row left empty is not one), in order, as the API's questions, and which row each came from.</summary>
    public static (List<QuestionForm?> Forms, List<int> Rows) Forms(IReadOnlyDictionary<string, StringValues> values, int rows)
    {
        string One(string name) => values.GetValueOrDefault(name).ToString();
        var kept = Enumerable.Range(0, rows).Where(i => One($"questions[{i}].label").Trim().Length > 0).ToList();
        return ([.. kept.Select(i => (QuestionForm?)new QuestionForm(One($"questions[{i}].label"), One($"questions[{i}].type"),
            One($"questions[{i}].options").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), One($"questions[{i}].required") == "true",
            Weight(One($"questions[{i}].matchWeight"))))], kept);
    }

    /// <summary>The API numbers the questions kept; errors are put back on the page's own rows.</summary>
    public static ConsoleProblem OnRows(ConsoleProblem problem, IReadOnlyList<int> rows) => problem with
    {
        Errors = problem.Errors.ToDictionary(e => System.Text.RegularExpressions.Regex.Replace(e.Key, @"^questions\[(\d+)\]",
            m => $"questions[{rows[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]}]"), e => e.Value),
    };

    /// <summary>A weight typed on the page: empty is none, and what is not a number is NaN, which the rules name as not a number from 0 to 100.</summary>
    private static double? Weight(string text) =>
        text.Trim().Length == 0 ? null
        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight) ? weight : double.NaN;
}
