namespace MentorFlow.Shared.Intake;

/// <summary>A question of the cohort's own on its intake form: free text, one choice, or several.</summary>
public enum QuestionType { Text, Choice, MultiChoice }

/// <summary>
/// One of a cohort's own intake questions; <see cref="Id"/> ("q1", "q2", …) names its answers and its CSV column.
/// <see cref="MatchWeight"/> (a choice question only; 0: none) makes it a soft matching preference: a mentee and a mentor
/// who gave an answer in common earn that weight, like any other criterion.
/// </summary>
public sealed record CustomQuestion(string Id, string Label, QuestionType Type, IReadOnlyList<string> Options, bool Required)
{
    public double MatchWeight { get; init; }

    /// <summary>Whether matching reads its answers.</summary>
    public bool SteersMatching => MatchWeight > 0 && Type != QuestionType.Text;
}

/// <summary>A question as an admin writes it (the API's JSON and the console's form).</summary>
public sealed record QuestionForm(string? Label, string? Type, IReadOnlyList<string?>? Options, bool? Required, double? MatchWeight = null);

/// <summary>The rules of a cohort's own questions: how they are written, and how a registration answers them.</summary>
public static class CustomQuestions
{
    public const int MaxQuestions = 10, LabelMax = 200, OptionMax = 100, MaxOptions = 20, AnswerMax = 1000;

    /// <summary>The largest matching weight a question may carry: the cohort's criteria's own bound.</summary>
    public const double MaxMatchWeight = 100;

    /// <summary>The questions checked, each field's errors under <c>questions[i].field</c>; ids are their places ("q1" first).</summary>
    public static (IReadOnlyList<CustomQuestion>? Questions, ValidationErrors Errors) Validate(IReadOnlyList<QuestionForm?>? forms, int max = MaxQuestions)
    {
        var errors = new ValidationErrors();
        if (forms is null)
        {
            errors.Add("questions", "Required: a list of questions (empty for none).");
            return (null, errors);
        }
        if (forms.Count > max)
        {
            errors.Add("questions", $"At most {max} questions.");
            return (null, errors);
        }
        var questions = new List<CustomQuestion>();
        for (var i = 0; i < forms.Count; i++)
        {
            var at = $"questions[{i}]";
            if (forms[i] is not { } form)
            {
                errors.Add(at, "Required: a question.");
                continue;
            }
            var label = Check.Line(errors, $"{at}.label", form.Label, LabelMax);
            var type = Check.Enum<QuestionType>(errors, $"{at}.type", form.Type);
            var options = (form.Options ?? []).Select(o => o?.Trim() ?? "").Where(o => o.Length > 0).ToList();
            if (type is QuestionType.Choice or QuestionType.MultiChoice)
            {
                if (options.Count is < 2 or > MaxOptions)
                {
                    errors.Add($"{at}.options", $"Between 2 and {MaxOptions} options.");
                }
                else if (options.FirstOrDefault(o => o.Length > OptionMax) is { } tooLong)
                {
                    errors.Add($"{at}.options", $"At most {OptionMax} characters an option ('{tooLong[..20]}…').");
                }
                else if (options.GroupBy(o => o, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    errors.Add($"{at}.options", $"'{twice.Key}' is listed twice.");
                }
            }
            else if (type == QuestionType.Text && options.Count > 0)
            {
                errors.Add($"{at}.options", "A text question has no options.");
            }
            var weight = form.MatchWeight ?? 0;
            if (!double.IsFinite(weight) || weight is < 0 or > MaxMatchWeight)
            {
                errors.Add($"{at}.matchWeight", $"Must be a number from 0 to {MaxMatchWeight:0} (0: the matching does not use it).");
            }
            else if (weight > 0 && type == QuestionType.Text)
            {
                errors.Add($"{at}.matchWeight", "Only a choice question can steer the matching: a text answer has nothing to compare.");
            }
            if (label is not null && type is { } t)
            {
                questions.Add(new CustomQuestion($"q{i + 1}", label, t, t == QuestionType.Text ? [] : options, form.Required ?? false) { MatchWeight = weight });
            }
        }
        return errors.IsEmpty ? (questions, errors) : (null, errors);
    }

    /// <summary>
    /// Questions that only ask, once the pairs are made (the pulse's, the closing survey's): checked as intake questions are, at
    /// most <paramref name="max"/>, and none weighted — <paramref name="why"/> says why under <c>questions[i].matchWeight</c>.
    /// </summary>
    public static (IReadOnlyList<CustomQuestion>? Questions, ValidationErrors Errors) ValidateUnweighted(IReadOnlyList<QuestionForm?>? forms, int max, string why)
    {
        var (questions, errors) = Validate(forms, max);
        for (var i = 0; i < (forms?.Count ?? 0); i++)
        {
            if (forms![i]?.MatchWeight is > 0)
            {
                errors.Add($"questions[{i}].matchWeight", why);
            }
        }
        return errors.IsEmpty ? (questions, errors) : (null, errors);
    }

    /// <summary>
    /// A registration's answers to the cohort's questions, checked: required ones given, choices among the options, text within
    /// bounds, no answer to a question the cohort does not ask (errors under <c>answers.{id}</c>). Empty answers are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Answers(ValidationErrors errors, IReadOnlyList<CustomQuestion> questions,
        IReadOnlyDictionary<string, IReadOnlyList<string?>?>? given)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var unknown in (given ?? new Dictionary<string, IReadOnlyList<string?>?>()).Keys.Where(k => questions.All(q => q.Id != k)))
        {
            errors.Add($"answers.{unknown}", "This cohort asks no such question.");
        }
        foreach (var question in questions)
        {
            var field = $"answers.{question.Id}";
            var values = given?.GetValueOrDefault(question.Id)?.Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).ToList() ?? [];
            if (values.Count == 0)
            {
                if (question.Required)
                {
                    errors.Add(field, "Required.");
                }
                continue;
            }
            switch (question.Type)
            {
                case QuestionType.Text when values.Count > 1:
                    errors.Add(field, "One answer.");
                    break;
                case QuestionType.Text when values[0].Length > AnswerMax:
                    errors.Add(field, $"At most {AnswerMax} characters.");
                    break;
                case QuestionType.Choice when values.Count > 1:
                    errors.Add(field, "Choose one.");
                    break;
                case QuestionType.Choice or QuestionType.MultiChoice when values.FirstOrDefault(v => !question.Options.Contains(v)) is { } other:
                    errors.Add(field, $"'{(other.Length > 40 ? other[..40] + "…" : other)}' is not one of the options.");
                    break;
                default:
                    answers[question.Id] = values.Distinct(StringComparer.Ordinal).ToList();
                    break;
            }
        }
        return answers;
    }
}
