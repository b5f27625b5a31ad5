using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

public class ProgramReportTests
{
    private static Pair PairOf(Participant mentee, Participant mentor, int months, int met, bool atRisk, params (Participant Who, int Satisfaction, string Goals, string? Comment)[] survey) =>
        Pair.Start(Pair.IdFor(mentee.Id, mentor.Id), "c", Member.Of(mentee), Member.Of(mentor), ACohort.Now, false) with
        {
            Status = PairStatus.Completed,
            Month = months,
            Answers = Enumerable.Range(1, months).ToDictionary(m => m, m => m <= met ? Answer.Met : Answer.NotYet),
            EverAtRisk = atRisk,
            Survey = survey.ToDictionary(s => s.Who.Id, s => new SurveyAnswer(s.Satisfaction, s.Goals, true, true, false, s.Comment)),
        };

    [Fact]
    public void Cohorts_are_compared_side_by_side_pairs_are_broken_down_by_the_mentees_specialty_and_stage_and_every_comment_is_listed_once()
    {
        var (ana, bo, cy) = (AParticipant.Mentee("Ana") with { Specialty = "Cardiology" }, AParticipant.Mentee("Bo") with { Specialty = "Cardiology", CareerStage = CareerStage.Early },
            AParticipant.Mentee("Cy") with { Specialty = "Oncology" });
        var unmatched = AParticipant.Mentee("Di");
        var (m1, m2, m3) = (AParticipant.Mentor("M1"), AParticipant.Mentor("M2"), AParticipant.Mentor("M3"));
        var first = ACohort.Draft() with { Id = "first", Name = "2026 cohort", Status = CohortStatus.Closed, TermMonths = 4 };
        var second = ACohort.Draft() with { Id = "second", Name = "2027 cohort", Status = CohortStatus.Running, TermMonths = 4 };
        var p1 = PairOf(ana, m1, 4, 4, false, (ana, 5, "yes", "Life-changing, thank you"), (m1, 4, "partly", "  "));
        var p2 = PairOf(bo, m2, 4, 1, true, (m2, 2, "no", "We never found a time"));
        var p3 = PairOf(cy, m3, 2, 2, false);

        var report = ProgramReport.For([(first, [ana, bo, unmatched, m1, m2], [p1, p2]), (second, [cy with { CohortId = "second" }, m3], [p3])]);

        var one = report.Cohorts.Single(c => c.CohortId == "first");
        Assert.Equal((3, 2, 0.667, 0.625, 0.5), (one.Mentees, one.Pairs, one.MatchedShare, one.MetShare, one.AtRiskShare)); // 5 of 8 check-ins met
        Assert.Equal([1.0, 0.5, 0.5, 0.5], one.MetShareByMonth);
        Assert.Equal((3.67, 0.333, 3), (one.MeanSatisfaction, one.GoalsMetShare, one.Surveys));
        var two = report.Cohorts.Single(c => c.CohortId == "second");
        Assert.Equal((1.0, 1.0, (double?)null), (two.MatchedShare, two.MetShare, two.MeanSatisfaction));
        var cardiology = report.BySpecialty.Single(g => g.Group == "Cardiology");
        Assert.Equal((2, 0.625, 0.5), (cardiology.Pairs, cardiology.MetShare, cardiology.AtRiskShare));
        Assert.Equal(["Cardiology", "Oncology"], report.BySpecialty.Select(g => g.Group));
        Assert.Equal(new Dictionary<string, int> { ["trainee"] = 2, ["early"] = 1 }, report.ByCareerStage.ToDictionary(g => g.Group, g => g.Pairs));
        Assert.Equal([("mentee", "Life-changing, thank you"), ("mentor", "We never found a time")], report.Comments.Select(c => (c.Role, c.Comment)).Order());
        Assert.Contains("\"Life-changing, thank you\"", report.CommentsCsv(), StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_to_a_cohorts_own_survey_questions_join_the_comments_a_written_answer_alone_is_enough_and_the_csv_holds_them_in_one_cell()
    {
        var (ana, bo, m1, m2) = (AParticipant.Mentee("Ana"), AParticipant.Mentee("Bo"), AParticipant.Mentor("M1"), AParticipant.Mentor("M2"));
        var cohort = ACohort.Draft() with
        {
            Status = CohortStatus.Closed,
            SurveyQuestions = [new CustomQuestion("q1", "Which format worked best?", QuestionType.MultiChoice, ["In person", "Video"], false),
                new CustomQuestion("q2", "Advice for next year?", QuestionType.Text, [], false)],
        };
        static SurveyAnswer Answered(string? comment, Dictionary<string, IReadOnlyList<string>> answers) => new(4, "yes", true, true, false, comment) { Answers = answers };
        var p1 = PairOf(ana, m1, 3, 3, false) with
        {
            Survey = new Dictionary<string, SurveyAnswer>
            {
                [ana.Id] = Answered(null, new() { ["q1"] = ["In person", "Video"], ["q2"] = ["=Meet in week one"] }), // no comment, a written answer
                [m1.Id] = Answered(null, new() { ["q1"] = ["Video"] }), // choices only: nothing written
            },
        };
        var p2 = PairOf(bo, m2, 3, 3, false) with { Survey = new Dictionary<string, SurveyAnswer> { [m2.Id] = Answered("Great", new()) } };

        var report = ProgramReport.For([(cohort, [ana, bo, m1, m2], [p1, p2])]);
        var csv = Csv.Parse(report.CommentsCsv(), out _)!;

        Assert.Equal(2, report.Comments.Count);
        var fromAna = report.Comments.Single(c => c.PairId == p1.Id);
        Assert.Equal(("mentee", ""), (fromAna.Role, fromAna.Comment));
        Assert.Equal([new OwnAnswer("Which format worked best?", "In person, Video"), new OwnAnswer("Advice for next year?", "=Meet in week one")], fromAna.Answers);
        Assert.Empty(report.Comments.Single(c => c.PairId == p2.Id).Answers);
        Assert.Equal("ownQuestions", csv[0].Cells[^1]);
        Assert.Equal("Which format worked best?: In person, Video\nAdvice for next year?: =Meet in week one", csv.Single(r => r.Cells[2] == p1.Id).Cells[^1]);
        Assert.Contains(",\"Which format", report.CommentsCsv(), StringComparison.Ordinal); // quoted: it holds commas and a line break
    }

    [Fact]
    public void A_pair_whose_mentee_was_erased_still_counts_under_erased()
    {
        var (mentee, mentor) = (AParticipant.Mentee("Gone"), AParticipant.Mentor("Stays"));
        var cohort = ACohort.Draft() with { Status = CohortStatus.Closed };

        var report = ProgramReport.For([(cohort, [mentor], [PairOf(mentee, mentor, 3, 3, false)])]);

        Assert.Equal((ProgramReport.Erased, 1), (report.BySpecialty.Single().Group, report.BySpecialty.Single().Pairs));
        Assert.Equal(ProgramReport.Erased, report.ByCareerStage.Single().Group);
        Assert.Null(report.Cohorts.Single().MatchedShare); // no mentee left on record to count
    }
}
