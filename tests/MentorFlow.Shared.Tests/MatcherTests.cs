using CsCheck;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;

namespace MentorFlow.Shared.Tests;

public static class AParticipant
{
    private static int _next;

    public static Participant Mentee(string name = "Mentee") => Make(Role.Mentee, name, CareerStage.Trainee, null);

    public static Participant Mentor(string name = "Mentor", int capacity = 1) => Make(Role.Mentor, name, CareerStage.Late, capacity);

    private static Participant Make(Role role, string name, CareerStage stage, int? capacity)
    {
        var n = Interlocked.Increment(ref _next);
        return new Participant($"p-{n:D6}-{name.ToLowerInvariant().Replace(' ', '-')}", "c", role, name, "Doe", $"{name}{n}@x.example", stage,
            "Anesthesiology", null, PracticeSetting.Academic, $"Hospital {n}", "City", "TX", "US", "America/Chicago", [Aspect.Career], false,
            Preferences.None, capacity, "Goals", [], ParticipantStatus.Registered, ACohort.Now);
    }

    public static Participant Wanting(this Participant p, params Aspect[] aspects) => p with { Aspects = aspects };

    public static Participant InTimeZone(this Participant p, string timeZone) => p with { TimeZone = timeZone };

    public static Participant At(this Participant p, string institution) => p with { Institution = institution };
}

public class MatcherTests
{
    private static Cohort Cohort(int mentorsPerMentee = 1, GeographyRule geography = GeographyRule.Any) =>
        ACohort.Draft() with { MentorsPerMentee = mentorsPerMentee, Geography = geography, Status = CohortStatus.IntakeClosed };

    [Fact]
    public void Given_a_mentee_whose_first_aspect_only_one_mentor_offers_When_matched_Then_that_mentor_is_chosen_and_the_reason_says_so()
    {
        var mentee = AParticipant.Mentee("Ana").Wanting(Aspect.Research, Aspect.Wellbeing) with { Subspecialty = "Pediatric", AttendingNationalMeeting = true };
        var researcher = AParticipant.Mentor("Rita").Wanting(Aspect.Research) with { Subspecialty = "Pediatric", AttendingNationalMeeting = true };
        var other = AParticipant.Mentor("Omar").Wanting(Aspect.Clinical).InTimeZone("America/New_York");

        var result = Matcher.Match(Cohort(), [mentee, researcher, other], MatchingSteering.None);

        var pair = Assert.Single(result.Pairs);
        Assert.Equal(researcher.Id, pair.MentorId);
        Assert.Contains("both Anesthesiology (Pediatric)", pair.Reasons);
        Assert.Contains("mentor offers research, the mentee's first aspect", pair.Reasons);
        Assert.Contains("same time zone", pair.Reasons);
        Assert.Contains("both at the national meeting", pair.Reasons);
        Assert.Empty(result.Unmatched);
    }

    [Fact]
    public void Given_a_choice_question_with_a_weight_When_matched_Then_the_mentor_who_answered_alike_is_chosen_and_the_reason_names_the_answer()
    {
        var track = new CustomQuestion("q1", "Which track?", QuestionType.Choice, ["Clinical", "Research"], false) { MatchWeight = 4 };
        var languages = new CustomQuestion("q2", "Languages?", QuestionType.MultiChoice, ["English", "Spanish", "French"], false) { MatchWeight = 1 };
        var unweighted = new CustomQuestion("q3", "Colour?", QuestionType.Choice, ["Red", "Blue"], false);
        static Participant Answering(Participant p, string track, string[] languages, string colour) =>
            p with { Answers = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = [track], ["q2"] = languages, ["q3"] = [colour] } };
        var mentee = Answering(AParticipant.Mentee("Ana"), "Research", ["Spanish", "English"], "Red");
        // Otherwise the same, except that the colour (not weighted) favours Carl, and Carl comes first.
        var carl = Answering(AParticipant.Mentor("Carl"), "Clinical", ["French"], "Red");
        var rita = Answering(AParticipant.Mentor("Rita"), "Research", ["Spanish", "English"], "Blue");
        var cohort = Cohort() with { Questions = [track, languages, unweighted] };

        var steered = Matcher.Match(cohort, [mentee, carl, rita], MatchingSteering.None);
        var plain = Matcher.Match(cohort with { Questions = [track with { MatchWeight = 0 }, languages with { MatchWeight = 0 }, unweighted] }, [mentee, carl, rita], MatchingSteering.None);

        var pair = Assert.Single(steered.Pairs);
        Assert.Equal(rita.Id, pair.MentorId);
        Assert.Contains("both answered “Research” to “Which track?”", pair.Reasons);
        Assert.Contains("both answered “English”, “Spanish” to “Languages?”", pair.Reasons); // in the options' order
        Assert.DoesNotContain(pair.Reasons, r => r.Contains("Colour", StringComparison.Ordinal));
        Assert.Equal(Assert.Single(plain.Pairs).Score + 5, pair.Score); // the two weights, and nothing for the unweighted question
        Assert.DoesNotContain(Assert.Single(plain.Pairs).Reasons, r => r.StartsWith("both answered", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_two_mentees_and_one_greedy_trap_When_matched_Then_both_are_matched_rather_than_the_best_pair_first()
    {
        // Greedy would give the flexible mentee the only mentor the picky mentee can have.
        var flexible = AParticipant.Mentee("Flex").Wanting(Aspect.Research);
        var picky = AParticipant.Mentee("Picky").Wanting(Aspect.Research) with { Avoid = ["Hospital X"] };
        var star = AParticipant.Mentor("Star").Wanting(Aspect.Research);
        var blocked = AParticipant.Mentor("Blocked").Wanting(Aspect.Clinical).At("Hospital X");

        var result = Matcher.Match(Cohort(), [flexible, picky, star, blocked], MatchingSteering.None);

        Assert.Equal(2, result.Quality.MatchedMentees);
        Assert.Contains(result.Pairs, p => p.MenteeId == picky.Id && p.MentorId == star.Id);
    }

    [Theory]
    [InlineData("John Smith", "John\u200B Smith")]
    [InlineData("John Smith", "John\u200E Smith\u200F")]
    [InlineData("John Smith", "ＪＯＨＮ  SMITH")]
    [InlineData("José Núñez", "Jose Nunez")]
    public void Given_an_avoid_entry_When_the_mentors_name_differs_only_by_invisible_width_case_or_diacritics_Then_they_are_never_paired(string avoided, string written)
    {
        var mentee = AParticipant.Mentee("Ana") with { Avoid = [avoided] };
        var mentor = AParticipant.Mentor(written.Split(' ', 2)[0]) with { LastName = written.Split(' ', 2).ElementAtOrDefault(1) ?? "" };

        var result = Matcher.Match(Cohort(), [mentee, mentor], MatchingSteering.None);

        Assert.Empty(result.Pairs);
    }

    [Fact]
    public void Given_institutions_written_with_and_without_diacritics_When_a_different_institution_is_asked_for_Then_they_count_as_the_same()
    {
        var mentee = AParticipant.Mentee("Ana").At("Hospital Universitario Núñez") with { Preferences = new Preferences(true, false, false) };
        var mentor = AParticipant.Mentor("Ben").At("HOSPITAL UNIVERSITARIO NUNEZ\u200B");

        Assert.Empty(Matcher.Match(Cohort(), [mentee, mentor], MatchingSteering.None).Pairs);
    }

    [Fact]
    public void Given_mentees_all_at_the_only_mentors_institution_When_they_ask_for_a_different_institution_Then_the_reason_names_it()
    {
        var mentee = AParticipant.Mentee("Ana") with { Institution = "Mercy", Preferences = new Preferences(true, false, false) };
        var mentor = AParticipant.Mentor("Ben") with { Institution = "mercy " };

        var result = Matcher.Match(Cohort(), [mentee, mentor], MatchingSteering.None);

        var unmatched = Assert.Single(result.Unmatched);
        Assert.Empty(result.Pairs);
        Assert.Equal("no compatible mentor: of 1, 1 at the same institution", Assert.Single(unmatched.Reasons));
    }

    [Fact]
    public void Given_more_mentees_than_capacity_When_matched_Then_the_unmatched_mentee_is_told_mentors_are_full()
    {
        var mentees = Enumerable.Range(0, 3).Select(i => AParticipant.Mentee($"M{i}")).ToList();
        var mentor = AParticipant.Mentor("Solo", capacity: 2);

        var result = Matcher.Match(Cohort(), [.. mentees, mentor], MatchingSteering.None);

        Assert.Equal(2, result.Pairs.Count);
        var unmatched = Assert.Single(result.Unmatched);
        Assert.StartsWith("all 1 compatible mentors are at capacity", Assert.Single(unmatched.Reasons));
        Assert.Equal((2, 2, 3), (result.Quality.MentorCapacityUsed, result.Quality.MentorCapacityAvailable, result.Quality.Mentees));
    }

    [Fact]
    public void Given_a_quilt_cohort_When_a_mentee_wants_research_and_wellbeing_Then_two_mentors_cover_one_aspect_each()
    {
        var mentee = AParticipant.Mentee("Ana").Wanting(Aspect.Research, Aspect.Wellbeing);
        var researcher = AParticipant.Mentor("Rita").Wanting(Aspect.Research, Aspect.Wellbeing);
        var wellbeing = AParticipant.Mentor("Wes").Wanting(Aspect.Wellbeing);

        var result = Matcher.Match(Cohort(mentorsPerMentee: 2), [mentee, researcher, wellbeing], MatchingSteering.None);

        Assert.Equal([(researcher.Id, Aspect.Research), (wellbeing.Id, Aspect.Wellbeing)],
            result.Pairs.Select(p => (p.MentorId, p.Aspect!.Value)).OrderBy(p => p.Item2));
        Assert.Equal(1, result.Quality.MatchedMentees);
    }

    [Fact]
    public void Given_a_quilt_cohort_When_no_mentor_offers_navigation_Then_the_mentee_is_told_which_aspect_is_uncovered()
    {
        var mentee = AParticipant.Mentee("Ana").Wanting(Aspect.Career, Aspect.Navigation);
        var mentor = AParticipant.Mentor("Ben").Wanting(Aspect.Career);

        var result = Matcher.Match(Cohort(mentorsPerMentee: 2), [mentee, mentor], MatchingSteering.None);

        var unmatched = Assert.Single(result.Unmatched);
        Assert.Equal([Aspect.Navigation], unmatched.UncoveredAspects);
        Assert.Contains("no compatible mentor offers navigation", unmatched.Reasons);
    }

    [Fact]
    public void Given_a_pin_against_the_optimum_and_a_forbid_When_matched_Then_the_pin_is_kept_and_the_forbidden_pair_never_made()
    {
        var a = AParticipant.Mentee("A").Wanting(Aspect.Research);
        var b = AParticipant.Mentee("B").Wanting(Aspect.Clinical);
        var research = AParticipant.Mentor("R").Wanting(Aspect.Research);
        var clinical = AParticipant.Mentor("C").Wanting(Aspect.Clinical);
        var steering = new MatchingSteering([new PairKey(a.Id, clinical.Id)], [new PairKey(b.Id, research.Id)]);

        var result = Matcher.Match(Cohort(), [a, b, research, clinical], steering);

        Assert.Contains(result.Pairs, p => p.MenteeId == a.Id && p.MentorId == clinical.Id && p.Pinned && p.Reasons.Contains("pinned by an admin"));
        Assert.DoesNotContain(result.Pairs, p => p.MenteeId == b.Id && p.MentorId == research.Id);
        Assert.Equal(b.Id, Assert.Single(result.Unmatched).MenteeId);
    }

    [Fact]
    public void Given_a_require_different_region_cohort_When_everyone_is_in_one_region_Then_nobody_is_matched()
    {
        var result = Matcher.Match(Cohort(geography: GeographyRule.RequireDifferentRegion), [AParticipant.Mentee(), AParticipant.Mentor()], MatchingSteering.None);

        Assert.Empty(result.Pairs);
        Assert.Contains("in the same region", Assert.Single(Assert.Single(result.Unmatched).Reasons));
    }

    // ---- properties on small random cohorts, against brute force ----

    private static readonly string[] Specialties = ["Anesthesiology", "Pain Medicine"];
    private static readonly string[] Zones = ["America/Chicago", "America/New_York", "Europe/London"];

    private static Gen<Participant> GenParticipant(Role role) =>
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 2], Gen.Int[1, 127], Gen.Int[0, 1], Gen.Int[0, 2], Gen.Int[0, 9], Gen.Int[1, 2])
            .Select((spec, zone, aspectBits, region, inst, prefs, capacity) =>
            {
                var aspects = Enum.GetValues<Aspect>().Where(a => (aspectBits & 1 << (int)a) != 0).Take(3).ToArray();
                var p = role == Role.Mentee ? AParticipant.Mentee() : AParticipant.Mentor(capacity: capacity);
                return p.Wanting(aspects) with
                {
                    Specialty = Specialties[spec], TimeZone = Zones[zone], Region = region == 0 ? "TX" : "CA", Institution = $"H{inst}",
                    AttendingNationalMeeting = prefs % 2 == 0,
                    Preferences = new Preferences(prefs == 1, prefs == 3, false),
                    PracticeSetting = prefs > 5 ? PracticeSetting.Community : PracticeSetting.Academic,
                };
            });

    private static Gen<(Cohort Cohort, List<Participant> People)> GenCohort(int maxMentees, int maxMentors, int mentorsPerMentee) =>
        Gen.Select(GenParticipant(Role.Mentee).List[1, maxMentees], GenParticipant(Role.Mentor).List[1, maxMentors], Gen.Int[0, 3])
            .Select((mentees, mentors, geo) => (Cohort(mentorsPerMentee, (GeographyRule)geo), mentees.Concat(mentors).ToList()));

    [Theory]
    [InlineData(5, 4, 1, Matcher.DefaultCandidates, 300)]
    [InlineData(3, 3, 2, Matcher.DefaultCandidates, 200)]
    [InlineData(5, 4, 1, 1, 300)] // one candidate per mentee: the optimality check must find the rest
    [InlineData(3, 3, 2, 1, 200)]
    public void On_small_random_cohorts_the_objective_equals_the_brute_force_optimum(int mentees, int mentors, int mentorsPerMentee, int candidates, int iterations)
    {
        GenCohort(mentees, mentors, mentorsPerMentee).Sample(c =>
        {
            var result = Matcher.Match(c.Cohort, c.People, MatchingSteering.None, candidates);
            var best = BruteForce.Best(c.Cohort, c.People);

            Assert.Equal(best, (result.Quality.MatchedMentees, result.Quality.TotalPoints));
        }, iter: iterations);
    }

    [Fact]
    public void Hard_rules_capacities_pins_and_forbids_always_hold()
    {
        Gen.Select(GenCohort(6, 4, 1), GenCohort(4, 3, 2), Gen.Int[0, 1000], Gen.Bool).Sample((single, quilt, seed, useQuilt) =>
        {
            var (cohort, people) = useQuilt ? quilt : single;
            var mentees = people.Where(p => p.Role == Role.Mentee).ToList();
            var mentors = people.Where(p => p.Role == Role.Mentor).ToList();
            var random = new Random(seed);
            var pin = new PairKey(mentees[random.Next(mentees.Count)].Id, mentors[random.Next(mentors.Count)].Id);
            var forbid = new PairKey(mentees[random.Next(mentees.Count)].Id, mentors[random.Next(mentors.Count)].Id);
            var steering = new MatchingSteering([pin], pin == forbid ? [] : [forbid]);

            var result = Matcher.Match(cohort, people, steering);
            var scoring = new Scoring(cohort, steering);
            var interner = new Interner();
            var profiles = people.Select((p, i) => new Profile(p, i, ACohort.Now, interner)).ToDictionary(p => p.Id);

            Assert.Contains(result.Pairs, p => p.MenteeId == pin.MenteeId && p.MentorId == pin.MentorId && p.Pinned);
            Assert.DoesNotContain(result.Pairs, p => p.MenteeId == forbid.MenteeId && p.MentorId == forbid.MentorId && !p.Pinned);
            Assert.All(mentors, m => Assert.True(result.Pairs.Count(p => p.MentorId == m.Id) <= m.Capacity!.Value));
            Assert.All(mentees, m => Assert.True(result.Pairs.Count(p => p.MenteeId == m.Id) <= cohort.MentorsPerMentee));
            Assert.All(result.Pairs.Where(p => !p.Pinned), p => Assert.Null(scoring.Blocker(profiles[p.MenteeId], profiles[p.MentorId])));
            Assert.All(result.Pairs.GroupBy(p => p.MenteeId), g => Assert.Equal(g.Count(), g.Select(p => p.MentorId).Distinct().Count()));
            if (cohort.MentorsPerMentee > 1)
            {
                Assert.All(result.Pairs.GroupBy(p => p.MenteeId), g => Assert.Equal(g.Count(), g.Select(p => p.Aspect).Distinct().Count()));
            }
            Assert.Equal(mentees.Count, result.Pairs.Select(p => p.MenteeId).Distinct().Count() + result.Unmatched.Count(u => result.Pairs.All(p => p.MenteeId != u.MenteeId)));
        }, iter: 300);
    }

    [Fact]
    public void The_row_at_a_time_scoring_equals_the_pair_by_pair_rules_on_every_pair()
    {
        // Every trait the rules read, varied at random: eligibility, avoid lists, each preference, every geography rule,
        // subspecialties, time zones a quarter hour apart, forbids.
        string[] zones = ["America/Chicago", "America/New_York", "Europe/London", "Asia/Kathmandu", "Asia/Kolkata", "Pacific/Auckland"];
        var random = new Random(2027);
        var compared = 0;
        for (var round = 0; round < 200; round++)
        {
            Participant Person(Role role, int i)
            {
                var aspects = Enum.GetValues<Aspect>().Where(_ => random.Next(3) == 0).DefaultIfEmpty(Aspect.Career).Take(3).ToArray();
                var p = role == Role.Mentee ? AParticipant.Mentee() : AParticipant.Mentor(capacity: 1);
                return p.Wanting(aspects) with
                {
                    Id = $"{role}-{round}-{i}", FirstName = $"P{i}", LastName = role.ToString(),
                    CareerStage = (CareerStage)random.Next(4), Specialty = Specialties[random.Next(2)],
                    Subspecialty = random.Next(3) switch { 0 => null, 1 => "Regional", _ => "Cardiac" },
                    TimeZone = zones[random.Next(zones.Length)], Region = random.Next(2) == 0 ? "TX" : "CA", Institution = $"H{random.Next(3)}",
                    AttendingNationalMeeting = random.Next(2) == 0,
                    Preferences = new Preferences(random.Next(4) == 0, random.Next(5) == 0, random.Next(5) == 0),
                    PracticeSetting = (PracticeSetting)random.Next(3),
                    Avoid = random.Next(4) == 0 ? [random.Next(2) == 0 ? $"H{random.Next(3)}" : $"P{random.Next(6)} {(role == Role.Mentee ? "Mentor" : "Mentee")}"] : [],
                };
            }
            // The cohort's own choice questions, weighted or not, answered at random (or not at all).
            CustomQuestion[] questions =
            [
                new("q1", "Track", QuestionType.Choice, ["A", "B", "C"], false) { MatchWeight = random.Next(3) },
                new("q2", "Languages", QuestionType.MultiChoice, ["E", "S", "F", "G"], false) { MatchWeight = random.Next(3) * 1.5 },
            ];
            Participant Answering(Participant p) => p with
            {
                Answers = new Dictionary<string, IReadOnlyList<string>>
                {
                    ["q1"] = random.Next(4) == 0 ? [] : [questions[0].Options[random.Next(3)]],
                    ["q2"] = [.. questions[1].Options.Where(_ => random.Next(3) == 0)],
                },
            };
            var mentees = Enumerable.Range(0, 6).Select(i => Answering(Person(Role.Mentee, i))).ToList();
            var mentors = Enumerable.Range(0, 6).Select(i => Answering(Person(Role.Mentor, i))).ToList();
            var forbids = random.Next(3) == 0 ? new[] { new PairKey(mentees[0].Id, mentors[random.Next(6)].Id) } : [];
            var cohort = Cohort(1, (GeographyRule)random.Next(4)) with { Questions = questions };
            var scoring = new Scoring(cohort, new MatchingSteering([], forbids));
            var interner = new Interner();
            var preferences = Scoring.Preferences(cohort);
            var menteeProfiles = mentees.Select((p, i) => new Profile(p, i, ACohort.Now, interner, preferences)).ToList();
            var mentorProfiles = mentors.Select((p, i) => new Profile(p, i, ACohort.Now, interner, preferences)).ToList();
            var columns = scoring.Columns(mentorProfiles);

            foreach (var mentee in menteeProfiles)
            {
                var row = new int[mentorProfiles.Count];
                scoring.FillRow(mentee, columns, row);
                var expected = mentorProfiles.Select(m => scoring.Check(mentee, m) != Block.None ? -1 : scoring.Points(mentee, m, null));
                Assert.Equal(expected, row);
                compared += row.Length;
            }
        }
        Assert.Equal(200 * 36, compared);
    }
}

/// <summary>Every feasible assignment of a tiny cohort, scored the same way: the best (matched mentees, total points).</summary>
internal static class BruteForce
{
    public static (int Matched, long Points) Best(Cohort cohort, List<Participant> people)
    {
        var reference = new DateTimeOffset(cohort.ProgramStartsOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var interner = new Interner();
        var mentees = people.Where(p => p.Role == Role.Mentee).Select((p, i) => new Profile(p, i, reference, interner)).ToList();
        var mentors = people.Where(p => p.Role == Role.Mentor).Select((p, i) => new Profile(p, i, reference, interner)).ToList();
        var scoring = new Scoring(cohort, MatchingSteering.None);
        var quilt = cohort.MentorsPerMentee > 1;
        // Per mentee, every allowed set of (mentor, aspect, points): distinct mentors, distinct aspects, at most the slots.
        var options = mentees.Select(m =>
        {
            var single = mentors.Where(u => scoring.Blocker(m, u) is null)
                .SelectMany(u => quilt
                    ? m.Participant.Aspects.Where(a => (u.AspectMask & 1 << (int)a) != 0).Select(a => (Mentor: u.Index, Aspect: (int)a, Points: scoring.Points(m, u, a)))
                    : [(Mentor: u.Index, Aspect: -1, Points: scoring.Points(m, u, null))])
                .ToList();
            var sets = new List<List<(int Mentor, int Aspect, int Points)>> { new() };
            var slots = quilt ? Math.Min(cohort.MentorsPerMentee, m.Participant.Aspects.Count) : 1;
            for (var round = 0; round < slots; round++)
            {
                sets.AddRange(sets.Where(s => s.Count == round).SelectMany(s => single
                    .Where(o => s.All(x => x.Mentor != o.Mentor && (x.Aspect != o.Aspect || o.Aspect < 0)) && (s.Count == 0 || Compare(o, s[^1]) > 0))
                    .Select(o => s.Append(o).ToList())).ToList());
            }
            return sets;
        }).ToList();
        var best = (Matched: 0, Points: 0L);
        var load = new int[mentors.Count];
        void Walk(int i, int matched, long points)
        {
            if (i == mentees.Count)
            {
                if (matched > best.Matched || (matched == best.Matched && points > best.Points))
                {
                    best = (matched, points);
                }
                return;
            }
            foreach (var set in options[i])
            {
                if (set.Any(o => load[o.Mentor] >= mentors[o.Mentor].Capacity))
                {
                    continue;
                }
                set.ForEach(o => load[o.Mentor]++);
                Walk(i + 1, matched + (set.Count > 0 ? 1 : 0), points + set.Sum(o => o.Points));
                set.ForEach(o => load[o.Mentor]--);
            }
        }
        Walk(0, 0, 0);
        return best;
    }

    private static int Compare((int Mentor, int Aspect, int Points) a, (int Mentor, int Aspect, int Points) b) =>
        a.Mentor != b.Mentor ? a.Mentor.CompareTo(b.Mentor) : a.Aspect.CompareTo(b.Aspect);
}
