using MentorFlow.Shared;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Pages;

/// <summary>The closing survey: satisfaction 1–5, goals met, will you continue, would you take part again / as a mentor, a comment.</summary>
public static class SurveyFields
{
    public static readonly (string Name, string Legend, (string Value, string Label)[] Options)[] Questions =
    [
        ("satisfaction", "How satisfied are you with the program? *", [("1", "1 — not at all"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5 — very")]),
        ("goalsMet", "Did the pair meet the goals it set? *", [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]),
        ("willContinue", "Will you keep meeting after the program? *", [("true", "Yes"), ("false", "No")]),
        ("wouldJoinAgain", "Would you take part again? *", [("true", "Yes"), ("false", "No")]),
        ("wouldMentor", "Would you take part as a mentor? *", [("true", "Yes"), ("false", "No")]),
    ];

    public const string CommentLabel = "Anything else you want the program team to know?";

    /// <summary>The form's fields in its order (the standard five, the cohort's own, the comment), labelled as it shows them: the error summary reads the same words.</summary>
    public static FormFields Form(IReadOnlyList<CustomQuestion> own) => new([.. Questions.Select(q => (q.Name, q.Legend)),
        .. own.Select(q => ($"{IntakeFields.AnswerPrefix}{q.Id}", q.Label + (q.Required ? " *" : ""))), ("comment", CommentLabel)]);

    /// <summary>The standard answers and the cohort's own (<c>answers.q1</c>, …), each checked; every error named by its field.</summary>
    public static (SurveyAnswer? Answer, ValidationErrors Errors) Parse(IReadOnlyDictionary<string, StringValues> fields, IReadOnlyList<CustomQuestion> own)
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
        var answers = CustomQuestions.Answers(errors, own, IntakeFields.AnswersOf(fields));
        var comment = Check.Text(errors, "comment", One("comment"), 2000, required: false);
        return errors.IsEmpty
            ? (new SurveyAnswer(satisfaction!.Value, goals!, willContinue!.Value, again!.Value, mentor!.Value, comment) { Answers = answers }, errors)
            : (null, errors);
    }
}
