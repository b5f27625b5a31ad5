namespace MentorFlow.Shared.Matching;

/// <summary>What changed from one proposal version to another: the pairs added and removed, and the figures' deltas.</summary>
public sealed record ProposalDiff(
    int FromVersion,
    int ToVersion,
    IReadOnlyList<ProposedPair> Added,
    IReadOnlyList<ProposedPair> Removed,
    int Kept,
    double MeanScoreDelta,
    long TotalPointsDelta,
    double MatchedShareDelta,
    double FirstAspectCoveredShareDelta,
    int UnmatchedDelta)
{
    public static ProposalDiff Between(int fromVersion, MatchingResult from, int toVersion, MatchingResult to)
    {
        static string Key(ProposedPair p) => $"{p.MenteeId}\n{p.MentorId}\n{p.Aspect}";
        var before = from.Pairs.Select(Key).ToHashSet(StringComparer.Ordinal);
        var after = to.Pairs.Select(Key).ToHashSet(StringComparer.Ordinal);
        return new ProposalDiff(fromVersion, toVersion,
            [.. to.Pairs.Where(p => !before.Contains(Key(p)))],
            [.. from.Pairs.Where(p => !after.Contains(Key(p)))],
            to.Pairs.Count(p => before.Contains(Key(p))),
            to.Quality.MeanScore - from.Quality.MeanScore,
            to.Quality.TotalPoints - from.Quality.TotalPoints,
            to.Quality.MatchedShare - from.Quality.MatchedShare,
            to.Quality.FirstAspectCoveredShare - from.Quality.FirstAspectCoveredShare,
            to.Unmatched.Count - from.Unmatched.Count);
    }
}
