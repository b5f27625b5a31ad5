using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Matching;

public abstract record RematchChoice
{
    private RematchChoice() { }

    public sealed record Chosen(Participant Mentor) : RematchChoice;

    /// <summary>The mentor named is not one that can be chosen (an HTTP 400 naming <paramref name="Field"/>).</summary>
    public sealed record Invalid(string Field, string Message) : RematchChoice;

    /// <summary>No mentor can be chosen for this pair now (an HTTP 409).</summary>
    public sealed record Rejected(string Reason) : RematchChoice;
}

/// <summary>Who takes over a pair's mentee for the rest of the term: the mentor an admin names, or the best compatible one with room left.</summary>
public static class Rematching
{
    public static RematchChoice Choose(Cohort cohort, Pair pair, IReadOnlyList<Participant> participants, IReadOnlyList<Pair> pairs, string? namedMentorId)
    {
        var registered = participants.Where(p => p.Status == ParticipantStatus.Registered).ToList();
        if (namedMentorId is not null)
        {
            return registered.FirstOrDefault(p => p.Id == namedMentorId && p.Role == Role.Mentor) is { } named
                ? new RematchChoice.Chosen(named)
                : new RematchChoice.Invalid("mentorId", "No registered mentor with this id in this cohort.");
        }
        if (registered.FirstOrDefault(p => p.Id == pair.Mentee.ParticipantId) is not { } mentee)
        {
            return new RematchChoice.Rejected("The mentee is no longer registered; there is nobody to rematch.");
        }
        return Best(cohort, mentee, FreeMentors(registered, pairs, [pair.Mentor.ParticipantId]));
    }

    /// <summary>
    /// A mentor for a mentee who has no live pair (theirs ended, or they came after the matching): the one named, or the best
    /// compatible registered mentor with room left — never one they were paired with before.
    /// </summary>
    public static RematchChoice ChooseFor(Cohort cohort, Participant mentee, IReadOnlyList<Participant> participants, IReadOnlyList<Pair> pairs, string? namedMentorId)
    {
        var before = pairs.Where(p => p.Mentee.ParticipantId == mentee.Id).Select(p => p.Mentor.ParticipantId).ToHashSet(StringComparer.Ordinal);
        var registered = participants.Where(p => p.Status == ParticipantStatus.Registered).ToList();
        if (namedMentorId is not null)
        {
            return registered.FirstOrDefault(p => p.Id == namedMentorId && p.Role == Role.Mentor) is not { } named
                ? new RematchChoice.Invalid("mentorId", "No registered mentor with this id in this cohort.")
                : before.Contains(named.Id)
                    ? new RematchChoice.Invalid("mentorId", "This mentor was paired with this mentee before; name another.")
                    : new RematchChoice.Chosen(named);
        }
        return Best(cohort, mentee, FreeMentors(registered, pairs, before));
    }

    /// <summary>The mentor the matcher pairs <paramref name="mentee"/> with among <paramref name="free"/>, or why none.</summary>
    private static RematchChoice Best(Cohort cohort, Participant mentee, List<Participant> free)
    {
        var best = Matcher.Match(cohort with { MentorsPerMentee = 1 }, [mentee, .. free.Select(f => f with { Capacity = 1 })], MatchingSteering.None).Pairs.FirstOrDefault();
        return best is null
            ? new RematchChoice.Rejected("No compatible mentor has room left; name one with mentorId.")
            : new RematchChoice.Chosen(free.First(f => f.Id == best.MentorId));
    }

    /// <summary>
    /// Every registered mentor with room left who may mentor this pair's mentee, best first, each with the score and reasons the
    /// matcher gives the pair on its own (the console's picker); empty when the mentee is no longer registered.
    /// </summary>
    public static IReadOnlyList<RematchCandidate> Candidates(Cohort cohort, Pair pair, IReadOnlyList<Participant> participants, IReadOnlyList<Pair> pairs)
    {
        var registered = participants.Where(p => p.Status == ParticipantStatus.Registered).ToList();
        if (registered.FirstOrDefault(p => p.Id == pair.Mentee.ParticipantId) is not { } mentee)
        {
            return [];
        }
        var single = cohort with { MentorsPerMentee = 1 };
        return [.. FreeMentors(registered, pairs, [pair.Mentor.ParticipantId])
            .Select(mentor => (Mentor: mentor, Pair: Matcher.Match(single, [mentee, mentor with { Capacity = 1 }], MatchingSteering.None).Pairs.FirstOrDefault()))
            .Where(c => c.Pair is not null)
            .Select(c => new RematchCandidate(c.Mentor, c.Pair!.Score, c.Pair.Reasons))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Mentor.Id, StringComparer.Ordinal)];
    }

    /// <summary>The registered mentors with room left in their live pairs, but none of <paramref name="excluded"/>.</summary>
    private static List<Participant> FreeMentors(List<Participant> registered, IReadOnlyList<Pair> pairs, IReadOnlyCollection<string> excluded)
    {
        var load = pairs.Where(p => !p.IsTerminal).GroupBy(p => p.Mentor.ParticipantId).ToDictionary(g => g.Key, g => g.Count());
        return [.. registered.Where(p => p.Role == Role.Mentor && !excluded.Contains(p.Id) && load.GetValueOrDefault(p.Id) < (p.Capacity ?? 1))];
    }
}

/// <summary>A mentor who could take over a pair's mentee, with the score the matcher gives them together.</summary>
public sealed record RematchCandidate(Participant Mentor, double Score, IReadOnlyList<string> Reasons);
