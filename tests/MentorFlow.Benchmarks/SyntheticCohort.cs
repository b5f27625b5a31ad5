using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Benchmarks;

/// <summary>A cohort of made-up members from a fixed seed, with distributions like a physician society's.</summary>
public static class SyntheticCohort
{
    private static readonly (string Name, double Share)[] Specialties =
        [("Anesthesiology", 0.55), ("Pain Medicine", 0.2), ("Critical Care", 0.1), ("Pediatric Anesthesiology", 0.1), ("Obstetric Anesthesiology", 0.05)];

    private static readonly (string Name, double Share)[] Subspecialties = [("Regional", 0.4), ("Acute Pain", 0.3), ("Chronic Pain", 0.3)];

    private static readonly (Aspect Aspect, double Share)[] Aspects =
        [(Aspect.Career, 0.25), (Aspect.Clinical, 0.2), (Aspect.Research, 0.15), (Aspect.Leadership, 0.12), (Aspect.Wellbeing, 0.12), (Aspect.Education, 0.1), (Aspect.Navigation, 0.06)];

    private static readonly (string Country, string Region, string Zone, double Share)[] Regions =
    [
        ("US", "NY", "America/New_York", 0.12), ("US", "MA", "America/New_York", 0.06), ("US", "PA", "America/New_York", 0.07),
        ("US", "FL", "America/New_York", 0.07), ("US", "IL", "America/Chicago", 0.08), ("US", "TX", "America/Chicago", 0.12),
        ("US", "MN", "America/Chicago", 0.04), ("US", "CO", "America/Denver", 0.04), ("US", "AZ", "America/Phoenix", 0.03),
        ("US", "CA", "America/Los_Angeles", 0.14), ("US", "WA", "America/Los_Angeles", 0.05), ("CA", "ON", "America/Toronto", 0.06),
        ("CA", "BC", "America/Vancouver", 0.03), ("GB", "ENG", "Europe/London", 0.03), ("AU", "NSW", "Australia/Sydney", 0.02),
        ("JP", "13", "Asia/Tokyo", 0.02), ("US", "HI", "Pacific/Honolulu", 0.02),
    ];

    public static Cohort Cohort(int mentorsPerMentee = 1) => CohortRules.Validate(new CohortForm(
        "Synthetic", "Synthetic Society", new NationalMeetingForm("Annual Meeting", "2027-04-01", "Austin", "America/Chicago"),
        "2027-02-01", "2027-03-01", null, null, null, null, "preferDifferentRegion", mentorsPerMentee, null, ["admin@synthetic.example"]),
        $"synthetic-{mentorsPerMentee}", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)).Value! with { Status = CohortStatus.IntakeClosed };

    public static List<Participant> People(int mentees, int mentors, int seed)
    {
        var random = new Random(seed);
        var institutions = Math.Max(3, (mentees + mentors) / 6);
        var people = new List<Participant>(mentees + mentors);
        for (var i = 0; i < mentees + mentors; i++)
        {
            var mentor = i >= mentees;
            var (country, region, zone, _) = Pick(random, Regions, r => r.Share);
            var specialty = Pick(random, Specialties, s => s.Share).Name;
            var aspects = new List<Aspect>();
            var count = mentor ? 1 + random.Next(3) : 1 + random.Next(2) + (random.NextDouble() < 0.2 ? 1 : 0);
            while (aspects.Count < count)
            {
                var aspect = Pick(random, Aspects, a => a.Share).Aspect;
                if (!aspects.Contains(aspect))
                {
                    aspects.Add(aspect);
                }
            }
            var capacity = random.NextDouble() switch { < 0.5 => 1, < 0.85 => 2, _ => 3 };
            var draw = random.NextDouble();
            var preferences = new Preferences(random.NextDouble() < 0.3, draw < 0.1, draw is >= 0.1 and < 0.15);
            var institution = $"Institution {random.Next(institutions)}";
            var avoid = random.NextDouble() < 0.05 ? new[] { $"Institution {random.Next(institutions)}" } : [];
            people.Add(new Participant(
                $"p-{i:D6}", "synthetic", mentor ? Role.Mentor : Role.Mentee, $"First{i}", $"Last{i}", $"member{i}@synthetic.example",
                mentor ? (random.NextDouble() < 0.6 ? CareerStage.Mid : CareerStage.Late) : (random.NextDouble() < 0.5 ? CareerStage.Trainee : CareerStage.Early),
                specialty, random.NextDouble() < 0.4 ? Pick(random, Subspecialties, s => s.Share).Name : null,
                (PracticeSetting)random.Next(5), institution, "City", region, country, zone, aspects, random.NextDouble() < 0.6, preferences,
                mentor ? capacity : null, "Goals", avoid, ParticipantStatus.Registered, DateTimeOffset.UnixEpoch));
        }
        return people;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items, Func<T, double> share)
    {
        var draw = random.NextDouble() * items.Sum(share);
        foreach (var item in items)
        {
            draw -= share(item);
            if (draw <= 0)
            {
                return item;
            }
        }
        return items[^1];
    }
}
