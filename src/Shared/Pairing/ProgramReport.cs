using System.Text;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Pairing;

/// <summary>One cohort beside the others: how many of its mentees were matched, how often its pairs met (overall and month by month), at risk, satisfaction, goals met.</summary>
public sealed record CohortFigures(string CohortId, string Name, CohortStatus Status, int Mentees, int Pairs, double? MatchedShare, double MetShare,
    IReadOnlyList<double?> MetShareByMonth, double? AtRiskShare, double? MeanSatisfaction, double? GoalsMetShare, int Surveys);

/// <summary>The pairs of one group (a mentee's specialty, or career stage) across every cohort.</summary>
public sealed record GroupFigures(string Group, int Pairs, double MetShare, double AtRiskShare, double? MeanSatisfaction, double? GoalsMetShare);

/// <summary>
/// One survey comment, with where it came from (the pair and which of the two wrote it) and the answer beside it; with it,
/// the person's answers to the cohort's own survey questions (each with its question's words, in the survey's order).
/// </summary>
public sealed record SurveyComment(string CohortId, string CohortName, string PairId, string Role, int Satisfaction, string GoalsMet, string Comment)
{
    public IReadOnlyList<OwnAnswer> Answers { get; init; } = [];
}

/// <summary>An answer to one of a cohort's own survey questions: the question's words and what was answered (choices joined by ", ").</summary>
public sealed record OwnAnswer(string Question, string Answer);

/// <summary>
/// The program across its cohorts: each cohort's figures side by side, the pairs broken down by the mentee's specialty and
/// career stage, and every survey comment in one table. Pure: the cohorts, their participants and pairs in, the figures out.
/// A person whose data was erased counts in the totals under "(erased)".
/// </summary>
public sealed record ProgramReport(IReadOnlyList<CohortFigures> Cohorts, IReadOnlyList<GroupFigures> BySpecialty, IReadOnlyList<GroupFigures> ByCareerStage,
    IReadOnlyList<SurveyComment> Comments)
{
    public const string Erased = "(erased)";

    public static ProgramReport For(IReadOnlyList<(Cohort Cohort, IReadOnlyList<Participant> Participants, IReadOnlyList<Pair> Pairs)> cohorts)
    {
        var figures = cohorts.Select(c => Figures(c.Cohort, c.Participants, c.Pairs)).ToList();
        var pairsWithMentee = cohorts.SelectMany(c =>
        {
            var people = c.Participants.ToDictionary(p => p.Id, StringComparer.Ordinal);
            return c.Pairs.Select(pair => (Pair: pair, Mentee: people.GetValueOrDefault(pair.Mentee.ParticipantId)));
        }).ToList();
        // Whoever wrote something (the comment, or the answer to one of the cohort's own text questions) is in the table.
        var comments = cohorts.SelectMany(c => c.Pairs.SelectMany(pair => pair.Survey
                .Where(s => !string.IsNullOrWhiteSpace(s.Value.Comment) || c.Cohort.SurveyQuestions.Any(q => q.Type == QuestionType.Text
                    && s.Value.Answers.TryGetValue(q.Id, out var text) && text.Any(t => !string.IsNullOrWhiteSpace(t))))
                .Select(s => new SurveyComment(c.Cohort.Id, c.Cohort.Name, pair.Id, s.Key == pair.Mentee.ParticipantId ? "mentee" : "mentor",
                    s.Value.Satisfaction, s.Value.GoalsMet, s.Value.Comment?.Trim() ?? "") { Answers = OwnAnswers(c.Cohort, s.Value) })))
            .OrderBy(c => c.CohortName, StringComparer.Ordinal).ThenBy(c => c.PairId, StringComparer.Ordinal).ThenBy(c => c.Role, StringComparer.Ordinal).ToList();
        return new ProgramReport(figures,
            Groups(pairsWithMentee, m => m?.Specialty.Trim() is { Length: > 0 } s ? s : Erased),
            Groups(pairsWithMentee, m => m is null ? Erased : Words.Of(m.CareerStage)),
            comments);
    }

    private static IReadOnlyList<OwnAnswer> OwnAnswers(Cohort cohort, SurveyAnswer answer) =>
        [.. cohort.SurveyQuestions
            .Where(q => answer.Answers.TryGetValue(q.Id, out var given) && given.Any(g => !string.IsNullOrWhiteSpace(g)))
            .Select(q => new OwnAnswer(q.Label, string.Join(", ", answer.Answers[q.Id].Select(g => g.Trim()))))];

    private static CohortFigures Figures(Cohort cohort, IReadOnlyList<Participant> participants, IReadOnlyList<Pair> pairs)
    {
        var report = CohortReport.For(cohort, pairs);
        var mentees = participants.Where(p => p.Role == Role.Mentee && p.Status is ParticipantStatus.Registered or ParticipantStatus.Withdrawn).ToList();
        var paired = pairs.Select(p => p.Mentee.ParticipantId).ToHashSet(StringComparer.Ordinal);
        var answers = pairs.SelectMany(p => p.Survey.Values).ToList();
        return new CohortFigures(cohort.Id, cohort.Name, cohort.Status, mentees.Count, pairs.Count,
            mentees.Count == 0 ? null : Math.Round(mentees.Count(m => paired.Contains(m.Id)) / (double)mentees.Count, 3),
            report.MetShare, [.. report.Months.Select(m => m.MetShare)],
            pairs.Count == 0 ? null : Math.Round(report.EverAtRisk / (double)pairs.Count, 3), report.MeanSatisfaction, GoalsMet(answers), answers.Count);
    }

    private static IReadOnlyList<GroupFigures> Groups(IEnumerable<(Pair Pair, Participant? Mentee)> pairs, Func<Participant?, string> groupOf) =>
        [.. pairs.GroupBy(p => groupOf(p.Mentee), StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var list = g.Select(x => x.Pair).ToList();
                var sent = list.Sum(p => p.Month);
                var answers = list.SelectMany(p => p.Survey.Values).ToList();
                return new GroupFigures(g.Key, list.Count,
                    sent == 0 ? 0 : Math.Round(list.Sum(p => p.Answers.Count(a => a.Value == Answer.Met)) / (double)sent, 3),
                    Math.Round(list.Count(p => p.EverAtRisk) / (double)list.Count, 3),
                    answers.Count == 0 ? null : Math.Round(answers.Average(a => a.Satisfaction), 2), GoalsMet(answers));
            })
            .OrderByDescending(g => g.Pairs).ThenBy(g => g.Group, StringComparer.Ordinal)];

    private static double? GoalsMet(IReadOnlyList<SurveyAnswer> answers) =>
        answers.Count == 0 ? null : Math.Round(answers.Count(a => a.GoalsMet == "yes") / (double)answers.Count, 3);

    /// <summary>Every comment as CSV (cells a spreadsheet opens safely).</summary>
    public string CommentsCsv()
    {
        var csv = new StringBuilder("cohortId,cohort,pairId,role,satisfaction,goalsMet,comment,ownQuestions\n");
        foreach (var c in Comments)
        {
            // The cohort's own questions differ from cohort to cohort: one cell, a line per question ("Question: answer").
            csv.Append(Csv.Row([c.CohortId, c.CohortName, c.PairId, c.Role, c.Satisfaction.ToString(System.Globalization.CultureInfo.InvariantCulture), c.GoalsMet, c.Comment,
                string.Join("\n", c.Answers.Select(a => $"{a.Question}: {a.Answer}"))])).Append('\n');
        }
        return csv.ToString();
    }
}
