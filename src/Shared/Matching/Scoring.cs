using System.Numerics;
using System.Runtime.CompilerServices;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Matching;

/// <summary>Gives each distinct text (by its <see cref="IdentityText.Key"/>) a small number, so that pairs compare numbers, not strings.</summary>
internal sealed class Interner
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public int Id(string text)
    {
        var key = IdentityText.Key(text);
        if (!_ids.TryGetValue(key, out var id))
        {
            _ids[key] = id = _ids.Count;
        }
        return id;
    }
}

/// <summary>A participant reduced to what matching compares, computed once.</summary>
internal sealed class Profile
{
    /// <summary>The participant's traits; <paramref name="preferences"/>: the cohort's questions that steer the matching (<see cref="Scoring.Preferences"/>), in their order.</summary>
    public Profile(Participant p, int index, DateTimeOffset reference, Interner interner, IReadOnlyList<CustomQuestion>? preferences = null)
    {
        Participant = p;
        Index = index;
        Specialty = interner.Id(p.Specialty);
        Subspecialty = p.Subspecialty is null ? -1 : interner.Id(p.Subspecialty);
        Institution = interner.Id(p.Institution);
        Region = interner.Id($"{p.Country}/{p.Region}");
        FullName = interner.Id(p.FullName);
        Avoid = [.. p.Avoid.Select(interner.Id)];
        HasAvoid = Avoid.Count > 0;
        Capacity = p.Capacity ?? 1;
        Role = p.Role;
        Stage = p.CareerStage;
        AspectMask = p.Aspects.Aggregate(0, (mask, a) => mask | 1 << (int)a);
        FirstAspect = p.Aspects.Count > 0 ? p.Aspects[0] : default;
        WantedCount = p.Aspects.Count;
        Setting = p.PracticeSetting;
        Attending = p.AttendingNationalMeeting;
        OffsetHours = TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone).GetUtcOffset(reference).TotalHours;
        OffsetQuarters = (int)Math.Round(OffsetHours * 4);
        DifferentInstitution = p.Preferences.DifferentInstitution;
        DifferentRegion = p.Preferences.DifferentRegion;
        SameRegion = p.Preferences.SameRegion;
        AnswerMasks = [.. (preferences ?? []).Select(q => (p.Answers.GetValueOrDefault(q.Id) ?? [])
            .Select(answer => IndexOf(q.Options, answer)).Where(i => i >= 0).Aggregate(0, (mask, i) => mask | 1 << i))];
    }

    private static int IndexOf(IReadOnlyList<string> options, string answer)
    {
        for (var i = 0; i < options.Count; i++)
        {
            if (string.Equals(options[i], answer, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    public Participant Participant { get; }
    public int Index { get; }
    public string Id => Participant.Id;
    public int Specialty { get; }
    public int Subspecialty { get; }
    public int Institution { get; }
    public int Region { get; }
    public int FullName { get; }
    public HashSet<int> Avoid { get; }
    public bool HasAvoid { get; }
    public Role Role { get; }
    public CareerStage Stage { get; }
    public int AspectMask { get; }
    public Aspect FirstAspect { get; }
    public int WantedCount { get; }
    public PracticeSetting Setting { get; }
    public bool Attending { get; }
    public double OffsetHours { get; }
    /// <summary>The UTC offset in quarter hours (every offset in use is a whole number of them).</summary>
    public int OffsetQuarters { get; }
    public bool DifferentInstitution { get; }
    public bool DifferentRegion { get; }
    public bool SameRegion { get; }
    public int Capacity { get; }
    /// <summary>Per question steering the matching: the options this person chose, a bit each (at most 20 options).</summary>
    public int[] AnswerMasks { get; }

    public bool Avoids(Profile other) => HasAvoid && (Avoid.Contains(other.FullName) || Avoid.Contains(other.Institution));
}

/// <summary>Which hard rule keeps a pair apart (<see cref="None"/>: allowed).</summary>
internal enum Block : byte { None, Forbidden, Ineligible, Avoided, SameInstitution, SameRegion, OtherRegion, NoAspect }

/// <summary>The score of a pair, in integer points (a tenth of a weight unit), and its hard rules.</summary>
internal sealed class Scoring(Cohort cohort, MatchingSteering steering)
{
    private readonly int _aspects = Weight(cohort, "aspects");
    private readonly int _firstAspect = Weight(cohort, "firstAspect");
    private readonly int _specialty = Weight(cohort, "specialty");
    private readonly int _subspecialty = Weight(cohort, "subspecialty");
    private readonly int _setting = Weight(cohort, "practiceSetting");
    private readonly int _timeZone = Weight(cohort, "timeZone");
    private readonly int _meeting = Weight(cohort, "nationalMeeting");
    private readonly int _geography = Weight(cohort, "geography");
    private readonly HashSet<PairKey> _forbidden = [.. steering.Forbids];
    private readonly bool _requireDifferentRegion = cohort.Geography == GeographyRule.RequireDifferentRegion;
    private readonly bool _anyForbidden = steering.Forbids.Count > 0;
    private readonly bool _quilt = cohort.MentorsPerMentee > 1;
    private readonly GeographyRule _geographyRule = cohort.Geography;
    private readonly bool[,] _eligible = EligibilityTable(cohort);
    // The rounded parts of a score, once per cohort: a pair's score is then table lookups and additions (matching scores
    // every allowed pair of the cohort, 50 million in a 10,000 × 5,000 one).
    private readonly int[][] _sharedPoints = SharedAspectTable(cohort);
    private readonly int[] _zonePoints = TimeZoneTable(Weight(cohort, "timeZone"));
    private readonly IReadOnlyList<CustomQuestion> _preferences = Preferences(cohort);
    private readonly int[] _answerPoints = [.. Preferences(cohort).Select(q => (int)Math.Round(10 * q.MatchWeight))];

    public bool Quilt => _quilt;

    /// <summary>The cohort's own choice questions that steer the matching, in their order: a pair with an answer in common earns the question's weight.</summary>
    public static IReadOnlyList<CustomQuestion> Preferences(Cohort cohort) => [.. cohort.Questions.Where(q => q.SteersMatching)];

    /// <summary>The most points any pair can score: every criterion met.</summary>
    public int MaxPoints => 1 + _aspects + _firstAspect + _specialty + _subspecialty + _setting + _timeZone + _meeting + _geography + _answerPoints.Sum();

    /// <summary>The mentors as columns for <see cref="FillRow"/>: each trait of every mentor in one array.</summary>
    public MentorColumns Columns(IReadOnlyList<Profile> mentors) => new(mentors, this);

    /// <summary>The hard rule that keeps this pair apart, in words, or null when it is allowed.</summary>
    public string? Blocker(Profile mentee, Profile mentor) => Describe(Check(mentee, mentor));

    public static string? Describe(Block block) => block switch
    {
        Block.None => null,
        Block.Forbidden => "forbidden by an admin",
        Block.Ineligible => "not eligible by career stage",
        Block.Avoided => "on an avoid list",
        Block.SameInstitution => "at the same institution",
        Block.SameRegion => "in the same region",
        Block.OtherRegion => "in another region",
        _ => "offers none of the wanted aspects",
    };

    /// <summary>The hard rule that keeps this pair apart, checked in a fixed order (the first that applies is named).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Block Check(Profile mentee, Profile mentor)
    {
        if (_anyForbidden && _forbidden.Contains(new PairKey(mentee.Id, mentor.Id)))
        {
            return Block.Forbidden;
        }
        if (!Eligible(mentee) || !Eligible(mentor))
        {
            return Block.Ineligible;
        }
        if (mentee.Avoids(mentor) || mentor.Avoids(mentee))
        {
            return Block.Avoided;
        }
        if ((mentee.DifferentInstitution || mentor.DifferentInstitution) && mentee.Institution == mentor.Institution)
        {
            return Block.SameInstitution;
        }
        var sameRegion = mentee.Region == mentor.Region;
        if ((_requireDifferentRegion || mentee.DifferentRegion || mentor.DifferentRegion) && sameRegion)
        {
            return Block.SameRegion;
        }
        if ((mentee.SameRegion || mentor.SameRegion) && !sameRegion)
        {
            return Block.OtherRegion;
        }
        if (_quilt && (mentee.AspectMask & mentor.AspectMask) == 0)
        {
            return Block.NoAspect;
        }
        return Block.None;
    }

    public bool Eligible(Profile p) => _eligible[(int)p.Role, (int)p.Stage];

    /// <summary>Points for the pair; in a quilt cohort for the one aspect the mentor covers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Points(Profile mentee, Profile mentor, Aspect? covered)
    {
        var wanted = mentee.WantedCount;
        var first = mentee.FirstAspect;
        var points = 1;
        if (covered is { } aspect)
        {
            points += _sharedPoints[wanted][1];
            points += aspect == first ? _firstAspect : 0;
        }
        else
        {
            points += _sharedPoints[wanted][BitOperations.PopCount((uint)(mentee.AspectMask & mentor.AspectMask))];
            points += (mentor.AspectMask & 1 << (int)first) != 0 ? _firstAspect : 0;
        }
        points += mentee.Specialty == mentor.Specialty ? _specialty : 0;
        points += mentee.Subspecialty >= 0 && mentee.Subspecialty == mentor.Subspecialty ? _subspecialty : 0;
        points += mentee.Setting == mentor.Setting ? _setting : 0;
        points += _zonePoints[Math.Min(Math.Abs(mentee.OffsetQuarters - mentor.OffsetQuarters), 48)];
        points += mentee.Attending && mentor.Attending ? _meeting : 0;
        points += GeographyFit(mentee, mentor) ? _geography : 0;
        for (var q = 0; q < _answerPoints.Length; q++)
        {
            points += (mentee.AnswerMasks[q] & mentor.AnswerMasks[q]) != 0 ? _answerPoints[q] : 0;
        }
        return points;
    }

    /// <summary>
    /// A mentee's points with every mentor in a plain cohort (one mentor per mentee, no pins), -1 where a hard rule keeps
    /// them apart: the same answer as <see cref="Check"/> and <see cref="Points"/> pair by pair (a test holds them equal),
    /// read from the mentors' columns in one tight loop. A pair with an avoid list or a forbid takes the pair-by-pair way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FillRow(Profile mentee, MentorColumns mentors, int[] row)
    {
        var menteeOut = !Eligible(mentee);
        var slowMentee = _anyForbidden || mentee.HasAvoid;
        var firstBit = 1 << (int)mentee.FirstAspect;
        var shared = _sharedPoints[mentee.WantedCount];
        var zone = _zonePoints;
        var requireDifferentRegion = _requireDifferentRegion;
        var (firstAspect, specialty, setting) = (_firstAspect, _specialty, _setting);
        // A mentee without a subspecialty or not at the meeting earns nothing from either, whoever the mentor.
        var subspecialty = mentee.Subspecialty >= 0 ? _subspecialty : 0;
        var meeting = mentee.Attending ? _meeting : 0;
        var geography = _geography;
        var sameRegionFits = _geographyRule == GeographyRule.PreferSameRegion;
        var otherRegionFits = _geographyRule == GeographyRule.PreferDifferentRegion;
        var answerPoints = _answerPoints;
        var answers = mentee.AnswerMasks;
        for (var j = 0; j < row.Length; j++)
        {
            if (slowMentee || mentors.HasAvoid[j])
            {
                var mentor = mentors.Profiles[j];
                row[j] = Check(mentee, mentor) != Block.None ? -1 : Points(mentee, mentor, null);
                continue;
            }
            // Branch-free from here: with people in random order every comparison is a coin toss for the branch predictor.
            // Non-short-circuit & and | on bools, and (x ? 1 : 0), compile to flag instructions, not jumps.
            var sameRegion = mentee.Region == mentors.Region[j];
            var blocked = menteeOut | !mentors.Eligible[j]
                | ((mentee.DifferentInstitution | mentors.DifferentInstitution[j]) & mentee.Institution == mentors.Institution[j])
                | ((requireDifferentRegion | mentee.DifferentRegion | mentors.DifferentRegion[j]) & sameRegion)
                | ((mentee.SameRegion | mentors.SameRegion[j]) & !sameRegion);
            var mask = mentors.AspectMask[j];
            var points = 1 + shared[BitOperations.PopCount((uint)(mentee.AspectMask & mask))]
                + firstAspect * ((mask & firstBit) != 0 ? 1 : 0)
                + specialty * (mentee.Specialty == mentors.Specialty[j] ? 1 : 0)
                + subspecialty * (mentee.Subspecialty == mentors.Subspecialty[j] ? 1 : 0)
                + setting * (mentee.Setting == mentors.Setting[j] ? 1 : 0)
                + zone[Math.Min(Math.Abs(mentee.OffsetQuarters - mentors.OffsetQuarters[j]), 48)]
                + meeting * (mentors.Attending[j] ? 1 : 0)
                + geography * ((sameRegion ? sameRegionFits : otherRegionFits) ? 1 : 0);
            for (var q = 0; q < answerPoints.Length; q++)
            {
                points += answerPoints[q] * ((answers[q] & mentors.AnswerMasks[q][j]) != 0 ? 1 : 0);
            }
            row[j] = points | -(blocked ? 1 : 0);
        }
    }

    private static bool[,] EligibilityTable(Cohort cohort)
    {
        var roles = Enum.GetValues<Role>();
        var stages = Enum.GetValues<CareerStage>();
        var table = new bool[roles.Max(r => (int)r) + 1, stages.Max(s => (int)s) + 1];
        foreach (var role in roles)
        {
            foreach (var stage in stages)
            {
                table[(int)role, (int)stage] = cohort.Eligibility.Allows(role, stage);
            }
        }
        return table;
    }

    /// <summary>[wanted][shared]: the aspect points of a mentor sharing <c>shared</c> of the mentee's <c>wanted</c> aspects.</summary>
    private static int[][] SharedAspectTable(Cohort cohort)
    {
        var weight = Weight(cohort, "aspects");
        var count = Enum.GetValues<Aspect>().Length;
        return [.. Enumerable.Range(0, count + 1).Select(wanted =>
            Enumerable.Range(0, count + 1).Select(shared => wanted == 0 ? 0 : (int)Math.Round((double)weight * shared / wanted)).ToArray())];
    }

    /// <summary>[quarter hours apart, at most 48]: the time-zone points, full at 0 hours apart, none at 12 or more.</summary>
    private static int[] TimeZoneTable(int weight) =>
        [.. Enumerable.Range(0, 49).Select(q => (int)Math.Round(weight * (1 - Math.Min(q / 4.0, 12) / 12)))];

    public IReadOnlyList<string> Reasons(Profile mentee, Profile mentor, Aspect? covered, bool pinned)
    {
        var m = mentee.Participant;
        var reasons = new List<string>();
        if (pinned)
        {
            reasons.Add("pinned by an admin");
        }
        if (mentee.Specialty == mentor.Specialty)
        {
            reasons.Add(mentee.Subspecialty >= 0 && mentee.Subspecialty == mentor.Subspecialty
                ? $"both {m.Specialty} ({m.Subspecialty})"
                : $"both {m.Specialty}");
        }
        var first = m.Aspects[0];
        if (covered is { } aspect)
        {
            reasons.Add(aspect == first ? $"mentor offers {Words.Of(aspect)}, the mentee's first aspect" : $"mentor offers {Words.Of(aspect)}");
        }
        else
        {
            var offered = m.Aspects.Where(a => (mentor.AspectMask & 1 << (int)a) != 0).ToList();
            if (offered.Count == 0)
            {
                reasons.Add("mentor offers none of the mentee's aspects");
            }
            else if (offered[0] == first)
            {
                reasons.Add(offered.Count == 1
                    ? $"mentor offers {Words.Of(first)}, the mentee's first aspect"
                    : $"mentor offers {Words.Of(first)}, the mentee's first aspect, and {string.Join(", ", offered.Skip(1).Select(a => Words.Of(a)))}");
            }
            else
            {
                reasons.Add($"mentor offers {string.Join(", ", offered.Select(a => Words.Of(a)))} (not {Words.Of(first)}, the mentee's first)");
            }
        }
        if (m.PracticeSetting == mentor.Participant.PracticeSetting)
        {
            reasons.Add($"both in {Words.Of(m.PracticeSetting)} practice");
        }
        var hours = Math.Abs(mentee.OffsetHours - mentor.OffsetHours);
        reasons.Add(hours == 0 ? "same time zone" : $"{hours:0.#} hour{(hours == 1 ? "" : "s")} apart");
        if (m.AttendingNationalMeeting && mentor.Participant.AttendingNationalMeeting)
        {
            reasons.Add("both at the national meeting");
        }
        if (GeographyFit(mentee, mentor))
        {
            reasons.Add(cohort.Geography == GeographyRule.PreferSameRegion ? "same region, as the cohort prefers" : "different regions, as the cohort prefers");
        }
        if (mentee.Institution != mentor.Institution && (m.Preferences.DifferentInstitution || mentor.Participant.Preferences.DifferentInstitution))
        {
            reasons.Add("different institutions, as asked");
        }
        for (var q = 0; q < _preferences.Count; q++)
        {
            var shared = mentee.AnswerMasks[q] & mentor.AnswerMasks[q];
            if (shared != 0)
            {
                var options = _preferences[q].Options.Where((_, i) => (shared & 1 << i) != 0).Select(o => $"“{o}”");
                reasons.Add($"both answered {string.Join(", ", options)} to “{_preferences[q].Label}”");
            }
        }
        return reasons;
    }

    private bool GeographyFit(Profile mentee, Profile mentor) => _geographyRule switch
    {
        GeographyRule.PreferDifferentRegion => mentee.Region != mentor.Region,
        GeographyRule.PreferSameRegion => mentee.Region == mentor.Region,
        _ => false,
    };

    private static int Weight(Cohort cohort, string criterion) =>
        (int)Math.Round(10 * cohort.Weights.GetValueOrDefault(criterion, CohortRules.DefaultWeights[criterion]));
}

/// <summary>Each matching trait of every mentor in an array of its own, in the mentors' index order.</summary>
internal sealed class MentorColumns
{
    public MentorColumns(IReadOnlyList<Profile> mentors, Scoring scoring)
    {
        Profiles = mentors;
        T[] Column<T>(Func<Profile, T> trait) => [.. mentors.Select(trait)];
        Eligible = Column(scoring.Eligible);
        HasAvoid = Column(m => m.HasAvoid);
        Institution = Column(m => m.Institution);
        Region = Column(m => m.Region);
        DifferentInstitution = Column(m => m.DifferentInstitution);
        DifferentRegion = Column(m => m.DifferentRegion);
        SameRegion = Column(m => m.SameRegion);
        AspectMask = Column(m => m.AspectMask);
        Specialty = Column(m => m.Specialty);
        Subspecialty = Column(m => m.Subspecialty);
        Setting = Column(m => m.Setting);
        OffsetQuarters = Column(m => m.OffsetQuarters);
        Attending = Column(m => m.Attending);
        AnswerMasks = [.. Enumerable.Range(0, mentors.Count > 0 ? mentors[0].AnswerMasks.Length : 0).Select(q => Column(m => m.AnswerMasks[q]))];
    }

    public IReadOnlyList<Profile> Profiles { get; }
    public bool[] Eligible { get; }
    public bool[] HasAvoid { get; }
    public int[] Institution { get; }
    public int[] Region { get; }
    public bool[] DifferentInstitution { get; }
    public bool[] DifferentRegion { get; }
    public bool[] SameRegion { get; }
    public int[] AspectMask { get; }
    public int[] Specialty { get; }
    public int[] Subspecialty { get; }
    public PracticeSetting[] Setting { get; }
    public int[] OffsetQuarters { get; }
    public bool[] Attending { get; }
    /// <summary>[question][mentor]: the options each mentor chose, for each question steering the matching.</summary>
    public int[][] AnswerMasks { get; }
}
