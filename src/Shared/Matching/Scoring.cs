using System.Numerics;
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
    public Profile(Participant p, int index, DateTimeOffset reference, Interner interner)
    {
        Participant = p;
        Index = index;
        Specialty = interner.Id(p.Specialty);
        Subspecialty = p.Subspecialty is null ? -1 : interner.Id(p.Subspecialty);
        Institution = interner.Id(p.Institution);
        Region = interner.Id($"{p.Country}/{p.Region}");
        FullName = interner.Id(p.FullName);
        Avoid = [.. p.Avoid.Select(interner.Id)];
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
    public int Capacity => Participant.Capacity ?? 1;

    public bool Avoids(Profile other) => Avoid.Count > 0 && (Avoid.Contains(other.FullName) || Avoid.Contains(other.Institution));
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
    private readonly bool[,] _eligible = EligibilityTable(cohort);
    // The rounded parts of a score, once per cohort: a pair's score is then table lookups and additions (matching scores
    // every allowed pair of the cohort, 50 million in a 10,000 × 5,000 one).
    private readonly int[][] _sharedPoints = SharedAspectTable(cohort);
    private readonly int[] _zonePoints = TimeZoneTable(Weight(cohort, "timeZone"));

    public bool Quilt => cohort.MentorsPerMentee > 1;

    /// <summary>The most points any pair can score: every criterion met.</summary>
    public int MaxPoints => 1 + _aspects + _firstAspect + _specialty + _subspecialty + _setting + _timeZone + _meeting + _geography;

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
    public Block Check(Profile mentee, Profile mentor)
    {
        if (_forbidden.Count > 0 && _forbidden.Contains(new PairKey(mentee.Id, mentor.Id)))
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
        if (Quilt && (mentee.AspectMask & mentor.AspectMask) == 0)
        {
            return Block.NoAspect;
        }
        return Block.None;
    }

    public bool Eligible(Profile p) => _eligible[(int)p.Participant.Role, (int)p.Participant.CareerStage];

    /// <summary>Points for the pair; in a quilt cohort for the one aspect the mentor covers.</summary>
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
        return points;
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
        return reasons;
    }

    private bool GeographyFit(Profile mentee, Profile mentor) => cohort.Geography switch
    {
        GeographyRule.PreferDifferentRegion => mentee.Region != mentor.Region,
        GeographyRule.PreferSameRegion => mentee.Region == mentor.Region,
        _ => false,
    };

    private static int Weight(Cohort cohort, string criterion) =>
        (int)Math.Round(10 * cohort.Weights.GetValueOrDefault(criterion, CohortRules.DefaultWeights[criterion]));
}
