using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

/// <summary>The mid-term pulse: written by an admin, asked in one month's check-in, answered once per person, counted in the report.</summary>
public class PulseTests
{
    private static readonly QuestionForm Going = new("How is it going?", "choice", ["Well", "So-so", "Badly"], true);
    private static readonly QuestionForm Else = new("Anything we should know?", "text", null, false);
    private static readonly Member Mentee = new("p-mentee", "Ana López", "ana@x.example", "America/Chicago", true);
    private static readonly Member Mentor = new("p-mentor", "Ben Okafor", "ben@x.example", "America/Chicago", true);
    private static readonly DateTimeOffset LaunchedAt = new(2027, 1, 12, 15, 30, 0, TimeSpan.Zero);

    private static PairTerms Terms(int? pulseMonth) => new(9, CheckInCadence.Monthly, TimeSpan.FromDays(7), TimeSpan.FromDays(14), pulseMonth);

    [Fact]
    public void The_reports_email_names_the_pairs_states_in_words()
    {
        var cohort = ACohort.Open();
        IReadOnlyList<Pair> pairs = [InMonth(3), InMonth(3, PairStatus.AtRisk) with { Id = "pair-2" }, InMonth(3, PairStatus.AtRisk) with { Id = "pair-3" }];

        var email = CohortReport.For(cohort, pairs).ToEmail(cohort);

        Assert.Contains("Pairs: 3 (1 active, 2 at risk)", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("atRisk", email.Text + email.Html, StringComparison.Ordinal);
    }

    private static Pair InMonth(int month, PairStatus status = PairStatus.Active) =>
        Pair.Start("pair-1", "c", Mentee, Mentor, LaunchedAt, false) with { Status = status, Month = month };

    private static PairEvent.PulseAnswered Answered(string participantId) =>
        new(participantId, new Dictionary<string, IReadOnlyList<string>> { ["q1"] = ["Well"], ["q2"] = ["Ana moved wards"] });

    [Fact]
    public void A_pulse_has_a_month_before_the_terms_last_and_one_or_two_questions_each_named_where_wrong()
    {
        var (pulse, none) = PulseRules.Validate(new PulseForm(4, [Going, Else]), termMonths: 9);
        var (_, month) = PulseRules.Validate(new PulseForm(9, [Going]), termMonths: 9);
        var (_, missing) = PulseRules.Validate(new PulseForm(null, []), termMonths: 9);
        var (_, three) = PulseRules.Validate(new PulseForm(2, [Going, Else, Going]), termMonths: 9);
        var (_, parts) = PulseRules.Validate(new PulseForm(2, [Going with { Options = ["Only"] }, Going with { MatchWeight = 3 }]), termMonths: 9);

        Assert.True(none.IsEmpty);
        Assert.Equal(4, pulse!.Month);
        Assert.Equal(["q1", "q2"], pulse.Questions.Select(q => q.Id));
        Assert.Equal(["month"], month.ToDictionary().Keys);
        Assert.Equal(["month", "questions"], missing.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["questions"], three.ToDictionary().Keys);
        Assert.Equal(["questions[0].options", "questions[1].matchWeight"], parts.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_pulse_changes_before_launch_and_during_the_term_only_for_months_no_pair_can_have_been_asked()
    {
        var pulse = PulseRules.Validate(new PulseForm(4, [Going]), 9).Pulse!;
        var month6 = pulse with { Month = 6 };
        var launched = ACohort.Now;
        var running = ACohort.Open() with { Status = CohortStatus.Running, LaunchedAt = launched, CheckInCadence = CheckInCadence.Monthly };
        var inMonth3 = launched.AddMonths(3).AddDays(5); // month 3's check-ins out, month 4's due in under four weeks
        var justBefore4 = launched.AddMonths(4) - PulseRules.Margin - TimeSpan.FromMinutes(1);

        var matched = CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.Matched }, new CohortEvent.PulseChanged(pulse), ACohort.Now);
        var removed = CohortDecider.Decide(ACohort.Open() with { Pulse = pulse }, new CohortEvent.PulseChanged(null), ACohort.Now);
        var setMidTerm = CohortDecider.Decide(running, new CohortEvent.PulseChanged(pulse), inMonth3);
        var setPast = CohortDecider.Decide(running, new CohortEvent.PulseChanged(pulse with { Month = 3 }), inMonth3);
        var movedLater = CohortDecider.Decide(running with { Pulse = pulse }, new CohortEvent.PulseChanged(month6), justBefore4);
        var movedOnceAsked = CohortDecider.Decide(running with { Pulse = pulse }, new CohortEvent.PulseChanged(month6), justBefore4 + TimeSpan.FromMinutes(2));
        var removedOnceAsked = CohortDecider.Decide(running with { Pulse = pulse }, new CohortEvent.PulseChanged(null), launched.AddMonths(5));
        var closing = CohortDecider.Decide(running with { Status = CohortStatus.Closing }, new CohortEvent.PulseChanged(month6), inMonth3);
        var (_, pastMonth) = PulseRules.Validate(new PulseForm(3, [Going]), 9, PulseRules.FirstOpenMonth(running, inMonth3));
        var (_, noneLeft) = PulseRules.Validate(new PulseForm(8, [Going]), 9, PulseRules.FirstOpenMonth(running, launched.AddMonths(9)));

        Assert.Equal(4, Assert.IsType<CohortDecision.Accepted>(matched).Cohort.Pulse!.Month);
        Assert.Null(Assert.IsType<CohortDecision.Accepted>(removed).Cohort.Pulse);
        Assert.Equal(4, Assert.IsType<CohortDecision.Accepted>(setMidTerm).Cohort.Pulse!.Month);
        Assert.Contains("Month 3's check-ins may have gone out", Assert.IsType<CohortDecision.Rejected>(setPast).Reason, StringComparison.Ordinal);
        Assert.Equal(6, Assert.IsType<CohortDecision.Accepted>(movedLater).Cohort.Pulse!.Month);
        Assert.Contains("The pulse of month 4 may have been asked", Assert.IsType<CohortDecision.Rejected>(movedOnceAsked).Reason, StringComparison.Ordinal);
        Assert.IsType<CohortDecision.Rejected>(removedOnceAsked); // its answers are the cohort's now
        Assert.IsType<CohortDecision.Rejected>(closing);
        Assert.Equal(4, PulseRules.FirstOpenMonth(running, inMonth3));
        Assert.Equal(1, PulseRules.FirstOpenMonth(running with { LaunchedAt = null }, inMonth3));
        Assert.StartsWith("Month 3's check-ins may have gone out already", Assert.Single(pastMonth.ToDictionary()["month"]), StringComparison.Ordinal);
        Assert.StartsWith("No month of the term is left", Assert.Single(noneLeft.ToDictionary()["month"]), StringComparison.Ordinal);
    }

    [Fact]
    public void No_check_in_of_a_month_goes_out_before_the_earliest_the_pulse_rules_allow_for_it_in_any_zone_or_cadence()
    {
        // Schedule is what sends check-ins; the pulse's rule must never be later than it, for a pair introduced at launch.
        var launches = Enumerable.Range(0, 60).Select(d => new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(d * 6.3));
        string[] zones = ["Pacific/Kiritimati", "Etc/GMT+12", "America/Chicago", "Asia/Kolkata", "UTC"];
        foreach (var launched in launches)
        {
            foreach (var cadence in Enum.GetValues<CheckInCadence>())
            {
                foreach (var zone in zones)
                {
                    for (var month = 1; month <= 11; month++)
                    {
                        var sent = Schedule.CheckIn(launched, TimeSpan.Zero, month, cadence, zone);
                        Assert.True(sent > PulseRules.EarliestAsked(cadence, launched, month), $"{launched:u} {cadence} {zone} month {month}: sent {sent:u}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_member_answers_the_pulse_once_from_its_month_until_the_survey_opens()
    {
        var now = LaunchedAt.AddDays(130);

        var answered = Assert.IsType<PairDecision.Accepted>(PairDecider.Decide(InMonth(4), Answered(Mentee.ParticipantId), Terms(4), now));
        var twice = PairDecider.Decide(answered.Pair, Answered(Mentee.ParticipantId) with { Answers = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = ["Badly"] } }, Terms(4), now);
        var partner = PairDecider.Decide(answered.Pair, Answered(Mentor.ParticipantId), Terms(4), now);
        var early = PairDecider.Decide(InMonth(3), Answered(Mentee.ParticipantId), Terms(4), now);
        var stranger = PairDecider.Decide(InMonth(5), Answered("p-someone"), Terms(4), now);
        var noPulse = PairDecider.Decide(InMonth(5), Answered(Mentee.ParticipantId), Terms(null), now);
        var surveying = PairDecider.Decide(InMonth(9, PairStatus.Surveying), Answered(Mentee.ParticipantId), Terms(4), now);

        Assert.Equal(["Well"], answered.Pair.Pulse[Mentee.ParticipantId].Answers["q1"]);
        Assert.Equal(now, answered.Pair.Pulse[Mentee.ParticipantId].At);
        Assert.Empty(answered.Commands);
        Assert.IsType<PairDecision.Rejected>(twice); // the first answer stands
        Assert.Equal(2, Assert.IsType<PairDecision.Accepted>(partner).Pair.Pulse.Count);
        Assert.All([early, stranger, noPulse, surveying], d => Assert.IsType<PairDecision.Rejected>(d));
    }

    [Fact]
    public void The_report_counts_each_choice_and_lists_the_texts_of_the_pairs_asked()
    {
        var pulse = PulseRules.Validate(new PulseForm(4, [Going, Else]), 9).Pulse!;
        var cohort = ACohort.Open() with { Pulse = pulse, TermMonths = 9 };
        Pair With(Pair pair, params (string Who, string Going, string? Text)[] answers) => pair with
        {
            Pulse = answers.ToDictionary(a => a.Who, a => new PulseAnswer(new Dictionary<string, IReadOnlyList<string>>
            {
                ["q1"] = [a.Going], ["q2"] = a.Text is null ? [] : [a.Text],
            }, LaunchedAt)),
        };
        IReadOnlyList<Pair> pairs =
        [
            With(InMonth(5), (Mentee.ParticipantId, "Well", "Zoom works"), (Mentor.ParticipantId, "So-so", null)),
            With(InMonth(4) with { Id = "pair-2" }, (Mentee.ParticipantId, "Well", "All good")),
            InMonth(3) with { Id = "pair-3" }, // not asked yet
        ];

        var figures = CohortReport.For(cohort, pairs).Pulse!;
        var email = CohortReport.For(cohort, pairs).ToEmail(cohort);

        Assert.Equal((4, 4, 3), (figures.Month, figures.Asked, figures.Answered));
        Assert.Equal(new Dictionary<string, int> { ["Well"] = 2, ["So-so"] = 1, ["Badly"] = 0 }, figures.Questions[0].Counts);
        Assert.Equal(["All good", "Zoom works"], figures.Questions[1].Texts);
        Assert.Contains("Pulse in month 4: 3 of 4 people answered", email.Text, StringComparison.Ordinal);
        Assert.Contains("Pulse, How is it going?: Well 2, So-so 1, Badly 0", email.Text, StringComparison.Ordinal);
        Assert.Null(CohortReport.For(ACohort.Open(), pairs).Pulse);
    }

    [Fact]
    public void The_check_in_of_the_pulse_month_and_its_reminder_carry_the_persons_own_pulse_link_and_no_other_email_does()
    {
        var pulse = PulseRules.Validate(new PulseForm(4, [Going]), 9).Pulse!;
        var cohort = ACohort.Open() with { Pulse = pulse };
        var pair = InMonth(4);
        var mentee = AParticipant.Mentee("Ana") with { Id = Mentee.ParticipantId };
        var mentor = AParticipant.Mentor("Ben") with { Id = Mentor.ParticipantId };
        string Text(EmailKind kind, int month, string to) =>
            PairEmails.Compose(cohort, pair, "k", kind, month, to, mentee, mentor, new Links()).Text;

        Assert.Contains("pulse/p-mentee", Text(EmailKind.CheckIn, 4, Mentee.ParticipantId), StringComparison.Ordinal);
        Assert.Contains("pulse/p-mentor", Text(EmailKind.CheckIn, 4, Mentor.ParticipantId), StringComparison.Ordinal);
        Assert.DoesNotContain("pulse/p-mentor", Text(EmailKind.CheckIn, 4, Mentee.ParticipantId), StringComparison.Ordinal);
        Assert.Contains("pulse/p-mentee", Text(EmailKind.CheckInReminder, 4, Mentee.ParticipantId), StringComparison.Ordinal);
        Assert.DoesNotContain("pulse/", Text(EmailKind.CheckIn, 3, Mentee.ParticipantId), StringComparison.Ordinal);
        Assert.DoesNotContain("pulse/", Text(EmailKind.Introduction, 0, Mentee.ParticipantId), StringComparison.Ordinal);
        Assert.DoesNotContain("pulse/", PairEmails.Compose(cohort with { Pulse = null }, pair, "k", EmailKind.CheckIn, 4, Mentee.ParticipantId, mentee, mentor, new Links()).Text,
            StringComparison.Ordinal);
    }

    internal sealed class Links : IResponseLinks
    {
        public string CheckIn(Pair pair, Member member, int month, Answer answer) => $"https://x.example/r/check-in/{member.ParticipantId}";

        public string Survey(Pair pair, Member member) => $"https://x.example/r/survey/{member.ParticipantId}";

        public string Pulse(Pair pair, Member member) => $"https://x.example/r/pulse/{member.ParticipantId}";

        public string Confirm(Participant participant) => "https://x.example/c";

        public string Manage(string cohortId, string participantId) => $"https://x.example/m/{participantId}";
    }
}

/// <summary>Pairing a mentee again while the cohort runs is the cohort's own write too, so that it and the cohort's close cannot both win.</summary>
public class PairAddedTests
{
    [Fact]
    public void A_pair_is_added_to_a_launched_or_running_cohort_and_refused_once_it_closed()
    {
        foreach (var status in new[] { CohortStatus.Launched, CohortStatus.Running })
        {
            var added = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(ACohort.Open() with { Status = status }, new CohortEvent.PairAdded("pair-9"), ACohort.Now.AddHours(1)));
            Assert.Equal(ACohort.Now.AddHours(1), added.Cohort.UpdatedAt); // a write, whose ETag a close decided without this pair then fails on
        }
        Assert.IsType<CohortDecision.Rejected>(CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.Closed }, new CohortEvent.PairAdded("pair-9"), ACohort.Now));
        Assert.IsType<CohortDecision.Rejected>(CohortDecider.Decide(ACohort.Open() with { Status = CohortStatus.Closing }, new CohortEvent.PairAdded("pair-9"), ACohort.Now));
    }
}
