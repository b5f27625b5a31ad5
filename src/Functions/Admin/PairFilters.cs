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

    /// <summary>The board's search: the text, as typed, in either person's name, email, institution or specialty (case and accents ignored).</summary>
    public static bool Search(PairResponse pair, string? query, IReadOnlyDictionary<string, string> about)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return true;
        }
        var haystack = string.Join(" | ", pair.Mentee.Name, pair.Mentee.Email, pair.Mentor.Name, pair.Mentor.Email,
            about.GetValueOrDefault(pair.Mentee.ParticipantId), about.GetValueOrDefault(pair.Mentor.ParticipantId));
        var compare = System.Globalization.CultureInfo.InvariantCulture.CompareInfo;
        return compare.IndexOf(haystack, query.Trim(), System.Globalization.CompareOptions.IgnoreCase | System.Globalization.CompareOptions.IgnoreNonSpace) >= 0;
    }

    public static (int Month, string Answer)? LastAnswer(PairResponse pair) =>
        pair.Answers.Select(a => (Month: int.Parse(a.Key, System.Globalization.CultureInfo.InvariantCulture), Answer: a.Value))
            .OrderByDescending(a => a.Month).Cast<(int, string)?>().FirstOrDefault();
}
