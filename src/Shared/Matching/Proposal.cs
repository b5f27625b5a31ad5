namespace MentorFlow.Shared.Matching;

public sealed record PairKey(string MenteeId, string MentorId);

/// <summary>What the admin asked of the next run: pairs to keep whatever happens, pairs never to make.</summary>
public sealed record MatchingSteering(IReadOnlyList<PairKey> Pins, IReadOnlyList<PairKey> Forbids)
{
    public static MatchingSteering None { get; } = new([], []);
}

/// <summary>One proposed pair with its score and the reasons for it, in words.</summary>
public sealed record ProposedPair(
    string MenteeId,
    string MentorId,
    string MenteeName,
    string MentorName,
    Aspect? Aspect,
    double Score,
    IReadOnlyList<string> Reasons,
    bool Pinned);

/// <summary>A mentee left without a mentor (or, in a quilt cohort, an aspect left uncovered), and why.</summary>
public sealed record UnmatchedMentee(string MenteeId, string MenteeName, IReadOnlyList<Aspect> UncoveredAspects, IReadOnlyList<string> Reasons);

/// <summary>The figures an admin reads before approving.</summary>
public sealed record MatchingQuality(
    int Mentees,
    int Mentors,
    int MatchedMentees,
    double MatchedShare,
    int Pairs,
    double MeanScore,
    double MinScore,
    double FirstAspectCoveredShare,
    int MentorCapacityUsed,
    int MentorCapacityAvailable,
    int PairsBothAtNationalMeeting,
    int BlockingPairs,
    long TotalPoints);

public sealed record MatchingResult(IReadOnlyList<ProposedPair> Pairs, IReadOnlyList<UnmatchedMentee> Unmatched, MatchingQuality Quality, IReadOnlyList<string> Warnings)
{
    /// <summary>No proposal: nothing to start.</summary>
    public static MatchingResult Nothing { get; } = new([], [], new MatchingQuality(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), []);
}
