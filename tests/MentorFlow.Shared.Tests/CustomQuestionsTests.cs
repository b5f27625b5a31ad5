using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Tests;

public class CustomQuestionsTests
{
    private static readonly QuestionForm[] Written =
    [
        new("Which practice setting do you work in most?", "choice", ["Urban", "Rural", "Both"], true),
        new("Which languages do you mentor in?", "multiChoice", ["English", "Spanish", "French"], false),
        new("Anything else?", "text", null, false),
    ];

    private static Cohort WithQuestions() => ACohort.Open() with { Questions = CustomQuestions.Validate(Written).Questions! };

    [Fact]
    public void Questions_are_numbered_in_order_and_each_wrong_part_is_named_by_its_place()
    {
        var (questions, none) = CustomQuestions.Validate(Written);
        var (_, errors) = CustomQuestions.Validate([new("", "choice", ["Only one"], true), new("Fine?", "essay", null, false), new("Text", "text", ["x", "y"], false),
            new("Twice", "multiChoice", ["A", "a"], false)]);

        Assert.True(none.IsEmpty);
        Assert.Equal(["q1", "q2", "q3"], questions!.Select(q => q.Id));
        Assert.Equal((QuestionType.MultiChoice, false), (questions![1].Type, questions[1].Required));
        Assert.Equal(["questions[0].label", "questions[0].options", "questions[1].type", "questions[2].options", "questions[3].options"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.False(CustomQuestions.Validate([.. Enumerable.Repeat<QuestionForm?>(new("Q", "text", null, false), 11)]).Errors.IsEmpty);
    }

    [Fact]
    public void A_choice_question_may_carry_a_matching_weight_from_0_to_100_and_a_text_question_none()
    {
        var (questions, none) = CustomQuestions.Validate([new("Track?", "choice", ["A", "B"], false, 4), new("Languages?", "multiChoice", ["E", "S"], false, 0.5),
            new("Notes?", "text", null, false, 0), new("Plain?", "choice", ["A", "B"], false)]);
        var (_, errors) = CustomQuestions.Validate([new("Notes?", "text", null, false, 2), new("Track?", "choice", ["A", "B"], false, 101),
            new("Track?", "choice", ["A", "B"], false, -1), new("Track?", "choice", ["A", "B"], false, double.NaN)]);

        Assert.True(none.IsEmpty);
        Assert.Equal([4, 0.5, 0, 0], questions!.Select(q => q.MatchWeight));
        Assert.Equal([true, true, false, false], questions!.Select(q => q.SteersMatching));
        Assert.Equal(["questions[0].matchWeight", "questions[1].matchWeight", "questions[2].matchWeight", "questions[3].matchWeight"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.Contains("choice", errors.ToDictionary()["questions[0].matchWeight"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_registration_answers_the_cohorts_questions_by_their_rules_and_keeps_its_answers()
    {
        var cohort = WithQuestions();
        var form = AnIntake.Mentee() with { Answers = new Dictionary<string, IReadOnlyList<string?>?> { ["q1"] = ["Rural"], ["q2"] = ["Spanish", "French"], ["q3"] = ["  "] } };

        var admitted = Decisions.AdmittedOf(IntakeRules.Decide(cohort, form, ACohort.Now, ACohort.IdSecret));
        var missing = Decisions.ErrorsOf(IntakeRules.Decide(cohort, AnIntake.Mentee(), ACohort.Now, ACohort.IdSecret));
        var wrong = Decisions.ErrorsOf(IntakeRules.Decide(cohort, form with { Answers = new Dictionary<string, IReadOnlyList<string?>?>
        {
            ["q1"] = ["Urban", "Rural"], ["q2"] = ["Klingon"], ["q9"] = ["?"],
        } }, ACohort.Now, ACohort.IdSecret));

        Assert.Equal(["Rural"], admitted.Answers["q1"]);
        Assert.Equal(["Spanish", "French"], admitted.Answers["q2"]);
        Assert.False(admitted.Answers.ContainsKey("q3")); // an empty answer is no answer
        Assert.Equal(["answers.q1"], missing.ToDictionary().Keys);
        Assert.Equal(["answers.q1", "answers.q2", "answers.q9"], wrong.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Questions_change_until_intake_closes_and_not_after()
    {
        var questions = CustomQuestions.Validate(Written).Questions!;

        var open = CohortDecider.Decide(ACohort.Open(), new CohortEvent.QuestionsChanged(questions), ACohort.Now);
        var closed = CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.IntakeClosed }, new CohortEvent.QuestionsChanged(questions), ACohort.Now);

        Assert.Equal(3, Assert.IsType<CohortDecision.Accepted>(open).Cohort.Questions.Count);
        Assert.IsType<CohortDecision.Rejected>(closed);
    }
}
