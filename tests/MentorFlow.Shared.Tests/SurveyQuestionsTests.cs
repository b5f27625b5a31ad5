using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

/// <summary>The closing survey's own questions: written by an admin until launch, answered with the survey, counted in the report.</summary>
public class SurveyQuestionsTests
{
    private static readonly QuestionForm Format = new("Which format worked best?", "choice", ["In person", "Video", "Phone"], true);
    private static readonly QuestionForm Advice = new("One piece of advice for next year's pairs?", "text", null, false);
    private static readonly Member Mentee = new("p-mentee", "Ana López", "ana@x.example", "America/Chicago", true);
    private static readonly Member Mentor = new("p-mentor", "Ben Okafor", "ben@x.example", "America/Chicago", true);

    [Fact]
    public void Survey_questions_are_checked_as_intake_questions_are_at_most_five_and_none_weighted()
    {
        var (questions, none) = SurveyRules.Validate([Format, Advice]);
        var (_, six) = SurveyRules.Validate([.. Enumerable.Repeat(Advice, 6)]);
        var (_, parts) = SurveyRules.Validate([Format with { Options = ["Only"] }, Format with { MatchWeight = 10 }, Advice with { Label = " " }]);
        var (empty, noErrors) = SurveyRules.Validate([]);

        Assert.True(none.IsEmpty);
        Assert.Equal(["q1", "q2"], questions!.Select(q => q.Id));
        Assert.Equal(QuestionType.Text, questions![1].Type);
        Assert.Equal(["questions"], six.ToDictionary().Keys);
        Assert.Equal(["questions[0].options", "questions[1].matchWeight", "questions[2].label"], parts.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.True(noErrors.IsEmpty);
        Assert.Empty(empty!);
    }

    [Fact]
    public void The_survey_questions_change_until_launch_so_that_every_pair_is_asked_the_same()
    {
        var questions = SurveyRules.Validate([Format]).Questions!;

        var draft = CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.Draft }, new CohortEvent.SurveyQuestionsChanged(questions), ACohort.Now);
        var matched = CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.Matched }, new CohortEvent.SurveyQuestionsChanged(questions), ACohort.Now);
        var launched = CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.Launched }, new CohortEvent.SurveyQuestionsChanged(questions), ACohort.Now);
        var running = CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.Running }, new CohortEvent.SurveyQuestionsChanged([]), ACohort.Now);

        Assert.Equal(["Which format worked best?"], Assert.IsType<CohortDecision.Accepted>(draft).Cohort.SurveyQuestions.Select(q => q.Label));
        Assert.Single(Assert.IsType<CohortDecision.Accepted>(matched).Cohort.SurveyQuestions);
        Assert.Contains("until the cohort launches", Assert.IsType<CohortDecision.Rejected>(launched).Reason, StringComparison.Ordinal);
        Assert.IsType<CohortDecision.Rejected>(running);
    }

    [Fact]
    public void The_report_counts_each_choice_and_lists_the_texts_across_every_survey_answer_and_its_email_names_the_choices()
    {
        var cohort = ACohort.Open() with { SurveyQuestions = SurveyRules.Validate([Format, Advice]).Questions! };
        SurveyAnswer Answer(string format, string? advice) => new(4, "yes", true, true, false, null)
        {
            Answers = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = [format], ["q2"] = advice is null ? [] : [advice] },
        };
        Pair Surveyed(string id, params (string Who, SurveyAnswer Answer)[] answers) =>
            Pair.Start(id, cohort.Id, Mentee, Mentor, ACohort.Now, false) with
            {
                Status = PairStatus.Completed, Month = 9, Survey = answers.ToDictionary(a => a.Who, a => a.Answer),
            };
        IReadOnlyList<Pair> pairs =
        [
            Surveyed("pair-1", (Mentee.ParticipantId, Answer("Video", "Set dates early")), (Mentor.ParticipantId, Answer("Video", null))),
            Surveyed("pair-2", (Mentee.ParticipantId, Answer("In person", "Bring an agenda"))),
            Surveyed("pair-3"),
        ];

        var report = CohortReport.For(cohort, pairs);
        var email = report.ToEmail(cohort);

        Assert.Equal(new Dictionary<string, int> { ["In person"] = 1, ["Video"] = 2, ["Phone"] = 0 }, report.SurveyQuestions[0].Counts);
        Assert.Equal(["Bring an agenda", "Set dates early"], report.SurveyQuestions[1].Texts);
        Assert.Empty(report.SurveyQuestions[1].Counts);
        Assert.Contains("Survey, Which format worked best?: In person 1, Video 2, Phone 0", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Set dates early", email.Text, StringComparison.Ordinal); // texts are read on the dashboard, not mailed
        Assert.Empty(CohortReport.For(ACohort.Open(), pairs).SurveyQuestions);
    }

    [Fact]
    public void A_survey_sent_again_with_the_same_own_answers_is_the_same_answer_and_a_different_one_is_not()
    {
        SurveyAnswer With(params string[] formats) => new(4, "yes", true, true, false, "Thanks")
        {
            Answers = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = [.. formats] },
        };

        Assert.Equal(With("Video"), With("Video"));
        Assert.Equal(With("Video").GetHashCode(), With("Video").GetHashCode());
        Assert.NotEqual(With("Video"), With("Phone"));
        Assert.NotEqual(With("Video"), With("Video", "Phone"));
        Assert.NotEqual(With("Video"), With("Video") with { Satisfaction = 5 });
    }
}
