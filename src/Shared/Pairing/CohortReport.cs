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
            Share(a => a.WillContinue), Share(a => a.WouldJoinAgain), Share(a => a.WouldMentor), outcomes);
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
        var lines = new[]
        {
            $"Pairs: {Pairs} ({string.Join(", ", ByStatus.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {kv.Key}"))})",
            $"Check-ins answered \"we met\": {MetShare:P0}",
            $"Pairs flagged at risk during the term: {EverAtRisk}",
            $"Mean satisfaction (1–5): {(MeanSatisfaction is null ? "no answers" : MeanSatisfaction.Value.ToString("0.0", CultureInfo.InvariantCulture))}",
            $"Will continue: {Percent(WillContinueShare)} · would join again: {Percent(WouldJoinAgainShare)} · would mentor: {Percent(WouldMentorShare)}",
        };
        var html = $"<h1>{Html.Encode(subject)}</h1><ul>{string.Concat(lines.Select(l => $"<li>{Html.Encode(l)}</li>"))}</ul><p>Every pair's outcome is in the attached CSV.</p>";
        var text = $"{subject}\n\n{string.Join("\n", lines)}\n\nEvery pair's outcome is in the attached CSV.\n";
        return new EmailMessage($"report/{cohort.Id}", [.. cohort.AdminEmails.Select(a => new Recipient("Program team", a))], subject,
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Html.Encode(subject)}</title></head><body>{html}</body></html>", text,
            [new Attachment($"{cohort.Id}-outcomes.csv", "text/csv", ToCsv())]);
    }

    private static string Percent(double? share) => share is null ? "no answers" : share.Value.ToString("P0", CultureInfo.InvariantCulture);

    private static string Cell(string text) => Csv.Cell(text);
}
