using System.Globalization;
using System.Text;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;

namespace MentorFlow.Shared.Pairing;

public sealed record PairOutcome(
    string PairId,
    string Mentee,
    string Mentor,
    PairStatus Status,
    int MonthsSent,
    int MonthsMet,
    int MonthsAnswered,
    bool EverAtRisk,
    int Rematches,
    double? Satisfaction,
    int SurveysAnswered,
    bool? WillContinue,
    string? CancelReason);

/// <summary>The outcome of a cohort: what the admins get at the close, and what the report route answers at any time.</summary>
public sealed record CohortReport(
    string CohortId,
    string Name,
    CohortStatus Status,
    int Pairs,
    IReadOnlyDictionary<string, int> ByStatus,
    double MetShare,
    int EverAtRisk,
    double? MeanSatisfaction,
    double? WillContinueShare,
    double? WouldJoinAgainShare,
    double? WouldMentorShare,
    IReadOnlyList<PairOutcome> Outcomes)
{
    /// <summary>Each month of the term: how many pairs were asked, how they answered, and how many became at risk when it closed.</summary>
    public IReadOnlyList<MonthFigures> Months { get; init; } = [];

    /// <summary>How many survey answers gave each satisfaction from 1 to 5 (index 0 is 1).</summary>
    public IReadOnlyList<int> SatisfactionCounts { get; init; } = [0, 0, 0, 0, 0];

    /// <summary>How many survey answers said their goals were met, partly, or not (the survey's own words).</summary>
    public IReadOnlyDictionary<string, int> GoalsMetCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>The mid-term pulse's answers, when the cohort asks one.</summary>
    public PulseFigures? Pulse { get; init; }

    /// <summary>The cohort's own survey questions across every survey answer (none when it asks none).</summary>
    public IReadOnlyList<QuestionFigures> SurveyQuestions { get; init; } = [];

    public static CohortReport For(Cohort cohort, IReadOnlyList<Pair> pairs)
    {
        var answers = pairs.SelectMany(p => p.Survey.Values).ToList();
        double? Share(Func<SurveyAnswer, bool> yes) => answers.Count == 0 ? null : Math.Round(answers.Count(yes) / (double)answers.Count, 3);
        var sent = pairs.Sum(p => p.Month);
        var outcomes = pairs.OrderBy(p => p.Mentee.Name, StringComparer.Ordinal).Select(p => new PairOutcome(
            p.Id, p.Mentee.Name, p.Mentor.Name, p.Status, p.Month, p.Answers.Count(a => a.Value == Answer.Met), p.Answers.Count, p.EverAtRisk, p.Rematches,
            p.Survey.Count == 0 ? null : p.Survey.Values.Average(s => s.Satisfaction), p.Survey.Count,
            p.Survey.Count == 0 ? null : p.Survey.Values.Any(s => s.WillContinue), p.CancelReason)).ToList();
        return new CohortReport(
            cohort.Id, cohort.Name, cohort.Status, pairs.Count,
            Enum.GetValues<PairStatus>().ToDictionary(s => Words.Of(s), s => pairs.Count(p => p.Status == s)),
            sent == 0 ? 0 : Math.Round(pairs.Sum(p => p.Answers.Count(a => a.Value == Answer.Met)) / (double)sent, 3),
            pairs.Count(p => p.EverAtRisk),
            answers.Count == 0 ? null : Math.Round(answers.Average(a => a.Satisfaction), 2),
            Share(a => a.WillContinue), Share(a => a.WouldJoinAgain), Share(a => a.WouldMentor), outcomes)
        {
            Months = MonthFigures.Of(cohort.TermMonths, pairs),
            SatisfactionCounts = [.. Enumerable.Range(1, 5).Select(score => answers.Count(a => a.Satisfaction == score))],
            GoalsMetCounts = answers.GroupBy(a => a.GoalsMet).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            Pulse = PulseFigures.Of(cohort.Pulse, pairs),
            SurveyQuestions = QuestionFigures.Of(cohort.SurveyQuestions, [.. answers.Select(a => a.Answers)]),
        };
    }

    public string ToCsv()
    {
        var csv = new StringBuilder("pairId,mentee,mentor,status,monthsSent,monthsMet,monthsAnswered,everAtRisk,rematches,satisfaction,surveysAnswered,willContinue,cancelReason\n");
        foreach (var o in Outcomes)
        {
            csv.AppendLine(string.Join(',', Cell(o.PairId), Cell(o.Mentee), Cell(o.Mentor), Words.Of(o.Status), o.MonthsSent, o.MonthsMet, o.MonthsAnswered,
                o.EverAtRisk ? "true" : "false", o.Rematches, o.Satisfaction?.ToString("0.0", CultureInfo.InvariantCulture) ?? "", o.SurveysAnswered,
                o.WillContinue is null ? "" : o.WillContinue.Value ? "true" : "false", Cell(o.CancelReason ?? "")));
        }
        return csv.ToString();
    }

    public EmailMessage ToEmail(Cohort cohort)
    {
        var subject = $"{cohort.Name}: outcome report";
        string[] lines =
        [
            $"Pairs: {Pairs} ({string.Join(", ", ByStatus.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {(Words.TryParse<PairStatus>(kv.Key, out var state) ? Words.Say(state) : kv.Key)}"))})",
            $"Check-ins answered \"we met\": {MetShare:P0}",
            $"Pairs flagged at risk during the term: {EverAtRisk}",
            $"Mean satisfaction (1–5): {(MeanSatisfaction is null ? "no answers" : MeanSatisfaction.Value.ToString("0.0", CultureInfo.InvariantCulture))}",
            $"Will continue: {Percent(WillContinueShare)} · would join again: {Percent(WouldJoinAgainShare)} · would mentor: {Percent(WouldMentorShare)}",
            .. Pulse is null ? [] : PulseLines(Pulse),
            .. ChoiceLines(SurveyQuestions, "Survey"),
        ];
        var html = $"<h1>{Html.Encode(subject)}</h1><ul>{string.Concat(lines.Select(l => $"<li>{Html.Encode(l)}</li>"))}</ul><p>Every pair's outcome is in the attached CSV.</p>";
        var text = $"{subject}\n\n{string.Join("\n", lines)}\n\nEvery pair's outcome is in the attached CSV.\n";
        return new EmailMessage($"report/{cohort.Id}", [.. cohort.AdminEmails.Select(a => new Recipient("Program team", a))], subject,
            EmailLayout.Document(subject, html, cohort.AccentColor), text,
            [new Attachment($"{cohort.Id}-outcomes.csv", "text/csv", ToCsv())]);
    }

    private static IEnumerable<string> PulseLines(PulseFigures pulse) =>
    [
        $"Pulse in month {pulse.Month}: {pulse.Answered} of {pulse.Asked} people answered",
        .. ChoiceLines(pulse.Questions, "Pulse"),
    ];

    /// <summary>A line per choice question: its options counted (text answers are on the dashboard, not in an email).</summary>
    private static IEnumerable<string> ChoiceLines(IReadOnlyList<QuestionFigures> questions, string asked) =>
        questions.Where(q => q.Counts.Count > 0).Select(q => $"{asked}, {q.Label}: {string.Join(", ", q.Counts.Select(c => $"{c.Key} {c.Value}"))}");

    private static string Percent(double? share) => share is null ? "no answers" : share.Value.ToString("P0", CultureInfo.InvariantCulture);

    private static string Cell(string text) => Csv.Cell(text);
}

/// <summary>
/// One month of the term across the cohort's pairs: how many were asked and how they answered (NeedHelp: pairs where
/// either person asked for help that month, even if the other answered "we met"), how many became at risk when
/// the month closed, and the pairs by state that month (on track, at risk, ended early before it).
/// </summary>
public sealed record MonthFigures(int Month, int Asked, int Met, int NotYet, int NeedHelp, int Unanswered, int BecameAtRisk, int OnTrack, int AtRisk, int EndedEarly)
{
    public double? MetShare => Asked == 0 ? null : Math.Round(Met / (double)Asked, 3);

    public static IReadOnlyList<MonthFigures> Of(int termMonths, IReadOnlyList<Pair> pairs)
    {
        var became = new int[termMonths + 2];
        var riskyIn = new int[termMonths + 2];
        foreach (var pair in pairs)
        {
            // The decider's rule replayed over the months that have closed: two months in a row without "we met" make a pair
            // at risk, "we met" makes it well again; the month still open takes the pair's state now.
            var closed = pair.IsTerminal || pair.Status == PairStatus.Surveying ? pair.Month : pair.Month - 1;
            var without = 0;
            var risky = false;
            for (var month = 1; month <= Math.Min(pair.Month, termMonths); month++)
            {
                if (month > closed)
                {
                    risky = pair.Status == PairStatus.AtRisk;
                }
                else
                {
                    var met = pair.Answers.TryGetValue(month, out var answer) && answer == Answer.Met;
                    without = met ? 0 : without + 1;
                    if (without >= 2 && !risky)
                    {
                        became[month]++;
                        risky = true;
                    }
                    else if (met)
                    {
                        risky = false;
                    }
                }
                riskyIn[month] += risky ? 1 : 0;
            }
        }
        return [.. Enumerable.Range(1, termMonths).Select(month =>
        {
            var asked = pairs.Where(p => p.Month >= month).ToList();
            int Count(Answer answer) => asked.Count(p => p.Answers.TryGetValue(month, out var a) && a == answer);
            return new MonthFigures(month, asked.Count, Count(Answer.Met), Count(Answer.NotYet), asked.Count(p => p.HelpRequestedMonths().Contains(month)),
                asked.Count(p => !p.Answers.ContainsKey(month)), became[month], asked.Count - riskyIn[month], riskyIn[month],
                pairs.Count(p => p.Status == PairStatus.Cancelled && p.Month < month));
        })];
    }
}
