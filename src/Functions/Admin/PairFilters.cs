using MentorFlow.Functions.Apis.Contracts;

namespace MentorFlow.Functions.Admin;

/// <summary>The pairs board's filters.</summary>
public static class PairFilters
{
    public static readonly (string Filter, string Label)[] All =
        [("", "All"), ("at-risk", "At risk"), ("help", "Help requested"), ("paused", "Paused"), ("unanswered", "Unanswered this month")];

    public static bool Matches(PairResponse pair, string filter) => filter switch
    {
        "at-risk" => pair.Status == "atRisk",
        "help" => pair.HelpRequestedMonths.Count > 0,
        "paused" => pair.Status == "paused",
        "unanswered" => pair.Status is "active" or "atRisk" && pair.Month > 0 && !pair.Answers.ContainsKey(pair.Month.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        _ => true,
    };

    public static (int Month, string Answer)? LastAnswer(PairResponse pair) =>
        pair.Answers.Select(a => (Month: int.Parse(a.Key, System.Globalization.CultureInfo.InvariantCulture), Answer: a.Value))
            .OrderByDescending(a => a.Month).Cast<(int, string)?>().FirstOrDefault();
}
