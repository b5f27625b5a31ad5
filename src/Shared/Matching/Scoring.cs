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
        OffsetHours = TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone).GetUtcOffset(reference).TotalHours;
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
    public double OffsetHours { get; }
    public bool DifferentInstitution { get; }
    public bool DifferentRegion { get; }
    public bool SameRegion { get; }
    public int Capacity => Participant.Capacity ?? 1;

    public bool Avoids(Profile other) => Avoid.Count > 0 && (Avoid.Contains(other.FullName) || Avoid.Contains(other.Institution));
}

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
    private readonly Func<Profile, bool> _eligible = p => cohort.Eligibility.Allows(p.Participant.Role, p.Participant.CareerStage);

    public bool Quilt => cohort.MentorsPerMentee > 1;

    /// <summary>The most points any pair can score: every criterion met.</summary>
    public int MaxPoints => 1 + _aspects + _firstAspect + _specialty + _subspecialty + _setting + _timeZone + _meeting + _geography;

    /// <summary>The hard rule that keeps this pair apart, or null when it is allowed.</summary>
    public string? Blocker(Profile mentee, Profile mentor)
    {
        if (_forbidden.Count > 0 && _forbidden.Contains(new PairKey(mentee.Id, mentor.Id)))
        {
            return "forbidden by an admin";
        }
        if (!_eligible(mentee) || !_eligible(mentor))
        {
            return "not eligible by career stage";
        }
        if (mentee.Avoids(mentor) || mentor.Avoids(mentee))
        {
            return "on an avoid list";
        }
        if ((mentee.DifferentInstitution || mentor.DifferentInstitution) && mentee.Institution == mentor.Institution)
        {
            return "at the same institution";
        }
        var sameRegion = mentee.Region == mentor.Region;
        if ((_requireDifferentRegion || mentee.DifferentRegion || mentor.DifferentRegion) && sameRegion)
        {
            return "in the same region";
        }
        if ((mentee.SameRegion || mentor.SameRegion) && !sameRegion)
        {
            return "in another region";
        }
        if (Quilt && (mentee.AspectMask & mentor.AspectMask) == 0)
        {
            return "offers none of the wanted aspects";
        }
        return null;
    }

    /// <summary>Points for the pair; in a quilt cohort for the one aspect the mentor covers.</summary>
    public int Points(Profile mentee, Profile mentor, Aspect? covered)
    {
        var wanted = mentee.Participant.Aspects;
        var first = wanted[0];
        var points = 1;
        if (covered is { } aspect)
        {
            points += (int)Math.Round((double)_aspects / wanted.Count);
            points += aspect == first ? _firstAspect : 0;
        }
        else
        {
            var shared = BitOperations.PopCount((uint)(mentee.AspectMask & mentor.AspectMask));
            points += (int)Math.Round((double)_aspects * shared / wanted.Count);
            points += (mentor.AspectMask & 1 << (int)first) != 0 ? _firstAspect : 0;
        }
        points += mentee.Specialty == mentor.Specialty ? _specialty : 0;
        points += mentee.Subspecialty >= 0 && mentee.Subspecialty == mentor.Subspecialty ? _subspecialty : 0;
        points += mentee.Participant.PracticeSetting == mentor.Participant.PracticeSetting ? _setting : 0;
        points += (int)Math.Round(_timeZone * (1 - Math.Min(Math.Abs(mentee.OffsetHours - mentor.OffsetHours), 12) / 12));
        points += mentee.Participant.AttendingNationalMeeting && mentor.Participant.AttendingNationalMeeting ? _meeting : 0;
        points += GeographyFit(mentee, mentor) ? _geography : 0;
        return points;
    }

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
