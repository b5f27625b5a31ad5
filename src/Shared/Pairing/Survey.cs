using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Pairing;

/// <summary>The closing survey's own questions: asked after the standard five and before the comment, of every person, once the pairing ends.</summary>
public static class SurveyRules
{
    public const int MaxQuestions = 5;

    /// <summary>The questions checked as intake questions are (errors under <c>questions[i].…</c>), at most five, none weighted.</summary>
    public static (IReadOnlyList<CustomQuestion>? Questions, ValidationErrors Errors) Validate(IReadOnlyList<QuestionForm?>? forms) =>
        CustomQuestions.ValidateUnweighted(forms, MaxQuestions, "A survey question does not steer the matching: it is asked when the pairing ends.");
}
