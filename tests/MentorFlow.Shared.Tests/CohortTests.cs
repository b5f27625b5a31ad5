using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;
using MentorFlow.Shared.Cohorts;

namespace MentorFlow.Shared.Tests;

public class CohortRulesTests
{
    [Fact]
    public void Given_only_the_required_fields_When_validated_Then_the_program_defaults_apply()
    {
        var cohort = ACohort.Draft();

        Assert.Equal((9, 21, 1), (cohort.TermMonths, cohort.IntroLeadDays, cohort.MentorsPerMentee));
        Assert.Equal(CheckInCadence.Monthly, cohort.CheckInCadence);
        Assert.Equal(GeographyRule.Any, cohort.Geography);
        Assert.Equal([CareerStage.Trainee, CareerStage.Early], cohort.Eligibility.MenteeStages);
        Assert.Equal([CareerStage.Mid, CareerStage.Late], cohort.Eligibility.MentorStages);
        Assert.Equal(CohortStatus.Draft, cohort.Status);
        Assert.Equal(CohortRules.DefaultWeights, cohort.Weights);
    }

    public static TheoryData<string, CohortForm> BadFields => new()
    {
        { "name", ACohort.Form() with { Name = null } },
        { "society", ACohort.Form() with { Society = "<b>" } },
        { "nationalMeeting", ACohort.Form() with { NationalMeeting = null } },
        { "nationalMeeting.startsOn", ACohort.Form() with { NationalMeeting = ACohort.Form().NationalMeeting! with { StartsOn = "25/03/2027" } } },
        { "nationalMeeting.timeZone", ACohort.Form() with { NationalMeeting = ACohort.Form().NationalMeeting! with { TimeZone = "CST" } } },
        { "intakeClosesOn", ACohort.Form() with { IntakeClosesOn = "2027-04-01" } },
        { "intakeClosesOn", ACohort.Form() with { IntakeClosesOn = "2026-01-01", ProgramStartsOn = "2026-02-01" } },
        { "programStartsOn", ACohort.Form() with { ProgramStartsOn = "soon" } },
        { "termMonths", ACohort.Form() with { TermMonths = 0 } },
        { "introLeadDays", ACohort.Form() with { IntroLeadDays = 365 } },
        { "checkInCadence", ACohort.Form() with { CheckInCadence = "daily" } },
        { "eligibility.menteeStages", ACohort.Form() with { Eligibility = new EligibilityForm([], null) } },
        { "eligibility.mentorStages", ACohort.Form() with { Eligibility = new EligibilityForm(null, ["guru"]) } },
        { "geography", ACohort.Form() with { Geography = "nearby" } },
        { "mentorsPerMentee", ACohort.Form() with { MentorsPerMentee = 4 } },
        { "weights.luck", ACohort.Form() with { Weights = new Dictionary<string, double> { ["luck"] = 1 } } },
        { "weights.specialty", ACohort.Form() with { Weights = new Dictionary<string, double> { ["specialty"] = -1 } } },
        { "adminEmails", ACohort.Form() with { AdminEmails = [] } },
        { "adminEmails", ACohort.Form() with { AdminEmails = ["nope"] } },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Given_one_bad_field_When_validated_Then_only_that_field_is_named(string field, CohortForm form)
    {
        var validated = CohortRules.Validate(form, "c", ACohort.Now);

        Assert.False(validated.IsValid);
        Assert.Equal([field], validated.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Given_custom_weights_When_validated_Then_they_override_only_their_criteria()
    {
        var cohort = CohortRules.Validate(ACohort.Form() with { Weights = new Dictionary<string, double> { ["specialty"] = 9 } }, "c", ACohort.Now).Value!;

        Assert.Equal(9, cohort.Weights["specialty"]);
        Assert.Equal(CohortRules.DefaultWeights["aspects"], cohort.Weights["aspects"]);
    }
}

public class CohortDeciderTests
{
    private static readonly DateTimeOffset Later = ACohort.Now.AddHours(1);

    private static CohortDecision When(Cohort given, CohortEvent @event) => CohortDecider.Decide(given, @event, Later);

    [Fact]
    public void Given_draft_cohort_When_intake_opens_Then_cohort_is_open_stamped_and_due_to_close_at_the_end_of_its_closing_day()
    {
        var given = ACohort.Draft();

        var accepted = Assert.IsType<CohortDecision.Accepted>(When(given, new CohortEvent.IntakeOpened()));

        Assert.Equal(given with
        {
            Status = CohortStatus.IntakeOpen, UpdatedAt = Later, NextDue = CohortDue.IntakeClose,
            NextDueAt = new DateTimeOffset(2027, 2, 2, 0, 0, 0, TimeSpan.FromHours(-6)),
        }, accepted.Cohort);
    }

    [Fact]
    public void Given_open_cohort_with_a_steering_When_its_settings_change_Then_they_apply_the_state_stays_and_intake_closes_on_the_new_day()
    {
        var given = ACohort.Open() with
        {
            Steering = MentorFlow.Shared.Matching.MatchingSteering.None with { Pins = [new MentorFlow.Shared.Matching.PairKey("p-a", "p-b")] },
        };
        var changed = CohortRules.Validate(ACohort.Form() with { Name = "Renamed", IntakeClosesOn = "2027-02-05", MentorsPerMentee = 2 }, given.Id, ACohort.Now).Value!;

        var edited = Assert.IsType<CohortDecision.Accepted>(When(given, new CohortEvent.Edited(changed))).Cohort;

        Assert.Equal(("Renamed", 2, new DateOnly(2027, 2, 5)), (edited.Name, edited.MentorsPerMentee, edited.IntakeClosesOn));
        Assert.Equal((CohortStatus.IntakeOpen, given.CreatedAt, given.Steering, Later), (edited.Status, edited.CreatedAt, edited.Steering, edited.UpdatedAt));
        Assert.Equal((CohortDue.IntakeClose, new DateTimeOffset(2027, 2, 6, 0, 0, 0, TimeSpan.FromHours(-6))), (edited.NextDue!.Value, edited.NextDueAt!.Value));
    }

    [Theory]
    [InlineData(CohortStatus.IntakeClosed)]
    [InlineData(CohortStatus.Matched)]
    [InlineData(CohortStatus.Launched)]
    [InlineData(CohortStatus.Closed)]
    public void Given_a_cohort_whose_intake_has_closed_When_its_settings_change_Then_it_is_rejected(CohortStatus status)
    {
        var rejected = Assert.IsType<CohortDecision.Rejected>(When(ACohort.Draft() with { Status = status }, new CohortEvent.Edited(ACohort.Draft() with { Name = "Other" })));

        Assert.Equal("A cohort's settings can be changed until its intake closes.", rejected.Reason);
    }

    [Fact]
    public void Given_open_cohort_When_intake_closes_Then_cohort_is_closed_and_can_reopen()
    {
        var closed = Assert.IsType<CohortDecision.Accepted>(When(ACohort.Open(), new CohortEvent.IntakeClosed())).Cohort;

        Assert.Equal(CohortStatus.IntakeClosed, closed.Status);
        Assert.Equal(CohortStatus.IntakeOpen, Assert.IsType<CohortDecision.Accepted>(When(closed, new CohortEvent.IntakeOpened())).Cohort.Status);
    }

    [Theory]
    [InlineData(CohortStatus.IntakeOpen)]
    [InlineData(CohortStatus.Matched)]
    [InlineData(CohortStatus.Closed)]
    public void Given_cohort_not_draft_or_closed_When_intake_opens_Then_it_is_rejected(CohortStatus status)
    {
        var rejected = Assert.IsType<CohortDecision.Rejected>(When(ACohort.Draft() with { Status = status }, new CohortEvent.IntakeOpened()));

        Assert.Equal(status, rejected.Status);
    }

    [Theory]
    [InlineData(CohortStatus.Draft)]
    [InlineData(CohortStatus.IntakeClosed)]
    [InlineData(CohortStatus.Launched)]
    public void Given_cohort_not_open_When_intake_closes_Then_it_is_rejected(CohortStatus status)
    {
        var rejected = Assert.IsType<CohortDecision.Rejected>(When(ACohort.Draft() with { Status = status }, new CohortEvent.IntakeClosed()));

        // The reason names the status in words, as the console and the API's problem show it.
        Assert.EndsWith($"the cohort is {Words.Say(status)}.", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("intakeClosed", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_open_cohort_When_its_closing_day_ends_Then_intake_closes_a_proposal_is_stored_and_the_admins_get_its_figures()
    {
        var closesAt = ACohort.Open().IntakeClosesAt;

        var accepted = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(ACohort.Open(), new CohortEvent.IntakeCloseDue(People.MenteesAndMentors(4, 2)), closesAt));

        Assert.Equal((CohortStatus.IntakeClosed, 1), (accepted.Cohort.Status, accepted.Cohort.LatestProposal));
        var store = Assert.IsType<CohortCommand.StoreProposal>(accepted.Commands[0]);
        Assert.Equal((1, 2), (store.Version, store.Result.Quality.MatchedMentees));
        var notice = Assert.IsType<CohortCommand.NotifyAdmins>(accepted.Commands[1]);
        Assert.Equal(CohortNotice.ProposalReady, notice.Notice);
        Assert.Contains("2 of 4 mentees matched", notice.Detail);
        Assert.Equal((CohortDue.ApprovalReminder, ACohort.Open().IntroductionDeadline.AddDays(-7)), (accepted.Cohort.NextDue, accepted.Cohort.NextDueAt));
    }

    [Fact]
    public void Given_an_unapproved_proposal_When_the_reminders_come_due_Then_the_admins_are_reminded_7_and_2_days_before_and_told_when_the_deadline_passes()
    {
        var cohort = ACohort.Open() with { Status = CohortStatus.IntakeClosed, LatestProposal = 1 };
        var deadline = cohort.IntroductionDeadline;
        var notices = new List<CohortCommand.NotifyAdmins>();
        var dues = new List<(CohortDue?, DateTimeOffset?)>();

        foreach (var (at, @event) in new (DateTimeOffset, CohortEvent)[]
        {
            (deadline.AddDays(-7), new CohortEvent.ApprovalReminderDue()),
            (deadline.AddDays(-2), new CohortEvent.ApprovalReminderDue()),
            (deadline, new CohortEvent.DeadlineDue()),
        })
        {
            var accepted = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(cohort, @event, at));
            notices.Add(Assert.IsType<CohortCommand.NotifyAdmins>(Assert.Single(accepted.Commands)));
            cohort = accepted.Cohort;
            dues.Add((cohort.NextDue, cohort.NextDueAt));
        }

        Assert.Equal([CohortNotice.ApprovalReminder, CohortNotice.ApprovalReminder, CohortNotice.DeadlinePassed], notices.Select(n => n.Notice));
        Assert.Contains("(7 day(s) from now)", notices[0].Detail);
        Assert.Contains("(2 day(s) from now)", notices[1].Detail);
        Assert.Contains("flagged late", notices[2].Detail);
        Assert.Equal(3, notices.Select(n => n.Key).Distinct().Count());
        Assert.Equal([(CohortDue.ApprovalReminder, deadline.AddDays(-2)), (CohortDue.DeadlinePassed, deadline), (null, null)], dues);
    }

    [Theory]
    [InlineData(LaunchMode.Manual, null)]
    [InlineData(LaunchMode.OnApproval, "approval")]
    [InlineData(LaunchMode.OnProgramStart, "programStart")]
    public void Given_a_launch_mode_When_the_latest_proposal_is_approved_Then_the_launch_is_scheduled_by_it(LaunchMode mode, string? when)
    {
        var cohort = ACohort.Open() with { Status = CohortStatus.IntakeClosed, LatestProposal = 2, LaunchMode = mode };

        var accepted = Assert.IsType<CohortDecision.Accepted>(When(cohort, new CohortEvent.MatchingApproved(null, 2)));

        Assert.Equal((CohortStatus.Matched, 2), (accepted.Cohort.Status, accepted.Cohort.ApprovedProposal));
        Assert.Equal(when switch
        {
            "approval" => (CohortDue.Launch, Later),
            "programStart" => (CohortDue.Launch, cohort.ProgramStartsAt),
            _ => ((CohortDue?)null, (DateTimeOffset?)null),
        }, (accepted.Cohort.NextDue, accepted.Cohort.NextDueAt));
    }

    [Theory]
    [InlineData(1, 2, "not the latest")]
    [InlineData(null, null, "compute one first")]
    public void Given_a_proposal_that_is_not_the_latest_or_not_stored_When_approved_Then_it_is_rejected(int? version, int? stored, string reason)
    {
        var cohort = ACohort.Open() with { Status = CohortStatus.IntakeClosed, LatestProposal = 2 };

        Assert.Contains(reason, Assert.IsType<CohortDecision.Rejected>(When(cohort, new CohortEvent.MatchingApproved(version, stored))).Reason);
    }

    [Fact]
    public void Given_an_approved_proposal_whose_mentor_withdrew_When_launched_Then_the_other_pairs_start_and_the_admins_hear_which_did_not()
    {
        var people = People.MenteesAndMentors(2, 2);
        var cohort = ACohort.Open() with { Status = CohortStatus.Matched, ApprovedProposal = 1 };
        var approved = Matcher.Match(cohort, people, MatchingSteering.None);
        var gone = approved.Pairs[1].MentorId;
        var now = cohort.IntroductionDeadline.AddDays(1);

        var accepted = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(cohort,
            new CohortEvent.LaunchRequested(approved, [.. people.Select(p => p.Id == gone ? p with { Status = ParticipantStatus.Removed } : p)]), now));

        Assert.Equal((CohortStatus.Launched, now, true), (accepted.Cohort.Status, accepted.Cohort.LaunchedAt, accepted.Cohort.LateIntroduction));
        var start = Assert.IsType<CohortCommand.StartPairs>(accepted.Commands[0]);
        var pair = Assert.Single(start.Pairs);
        Assert.Equal((Pair.IdFor(approved.Pairs[0].MenteeId, approved.Pairs[0].MentorId), now, true), (pair.Id, pair.LaunchedAt, pair.LateIntroduction));
        Assert.Equal(CohortNotice.PairNotStarted, Assert.IsType<CohortCommand.NotifyAdmins>(accepted.Commands[1]).Notice);
        Assert.Equal((CohortDue.StartPairs, now), (accepted.Cohort.NextDue, accepted.Cohort.NextDueAt));
    }

    [Fact]
    public void Given_a_launch_a_crash_interrupted_When_launched_again_Then_the_same_pairs_are_named_at_the_first_launchs_instant()
    {
        var people = People.MenteesAndMentors(2, 2);
        var matched = ACohort.Open() with { Status = CohortStatus.Matched, ApprovedProposal = 1 };
        var approved = Matcher.Match(matched, people, MatchingSteering.None);
        var first = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(matched, new CohortEvent.LaunchRequested(approved, people), Later));

        var again = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(first.Cohort, new CohortEvent.LaunchRequested(approved, people), Later.AddMinutes(5)));

        Assert.Equal(first.Cohort, again.Cohort);
        Assert.Equal(((CohortCommand.StartPairs)first.Commands[0]).Pairs.Select(p => (p.Id, p.LaunchedAt, p.Mentee, p.Mentor)),
            Assert.IsType<CohortCommand.StartPairs>(Assert.Single(again.Commands)).Pairs.Select(p => (p.Id, p.LaunchedAt, p.Mentee, p.Mentor)));
    }

    [Fact]
    public void Given_a_launched_cohort_When_every_pair_started_Then_it_runs_and_its_weekly_digest_is_due_in_a_week()
    {
        var launched = ACohort.Open() with { Status = CohortStatus.Launched };

        var running = Assert.IsType<CohortDecision.Accepted>(When(launched, new CohortEvent.PairsStarted())).Cohort;

        Assert.Equal((CohortStatus.Running, CohortDue.Digest, Later.AddDays(7)), (running.Status, running.NextDue, running.NextDueAt));
    }

    [Fact]
    public void Given_a_running_cohort_When_the_digest_is_due_twice_with_the_same_figures_Then_one_email_goes_out_and_the_second_week_is_skipped()
    {
        var running = ACohort.Open() with { Status = CohortStatus.Running };
        var figures = new DigestFigures(10, 2, 1, 6, 10, 0);

        var first = Assert.IsType<CohortDecision.Accepted>(When(running, new CohortEvent.DigestDue(figures)));
        var second = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(first.Cohort, new CohortEvent.DigestDue(figures), Later.AddDays(7)));
        var third = Assert.IsType<CohortDecision.Accepted>(CohortDecider.Decide(second.Cohort, new CohortEvent.DigestDue(figures with { AtRisk = 3 }), Later.AddDays(14)));

        Assert.Contains("2 at risk", Assert.IsType<CohortCommand.NotifyAdmins>(Assert.Single(first.Commands)).Detail);
        Assert.Empty(second.Commands);
        Assert.Contains("3 at risk", Assert.IsType<CohortCommand.NotifyAdmins>(Assert.Single(third.Commands)).Detail);
        Assert.Equal(Later.AddDays(21), third.Cohort.NextDueAt);
    }

    [Fact]
    public void Given_a_running_cohort_When_pairs_reach_their_surveys_and_then_all_end_Then_it_goes_closing_then_closed_with_the_report_sent()
    {
        var running = ACohort.Open() with { Status = CohortStatus.Running, NextDue = CohortDue.Digest, NextDueAt = Later };

        var still = Assert.IsType<CohortDecision.Accepted>(When(running, new CohortEvent.PairsProgressed([PairStatus.Active, PairStatus.Surveying])));
        var closing = Assert.IsType<CohortDecision.Accepted>(When(running, new CohortEvent.PairsProgressed([PairStatus.Cancelled, PairStatus.Surveying])));
        var closed = Assert.IsType<CohortDecision.Accepted>(When(closing.Cohort, new CohortEvent.PairsProgressed([PairStatus.Cancelled, PairStatus.Completed])));

        Assert.Equal(running, still.Cohort);
        Assert.Equal(CohortStatus.Closing, closing.Cohort.Status);
        Assert.Equal((CohortStatus.Closed, CohortDue.Erasure, Later.AddDays(365)), (closed.Cohort.Status, closed.Cohort.NextDue, closed.Cohort.NextDueAt));
        Assert.Equal(CohortNotice.OutcomeReport, Assert.IsType<CohortCommand.NotifyAdmins>(Assert.Single(closed.Commands)).Notice);
    }

    [Fact]
    public void Given_a_closed_cohort_When_its_retention_period_is_over_Then_its_personal_data_is_erased_and_nothing_more_is_due()
    {
        var closed = ACohort.Open() with { Status = CohortStatus.Closed, NextDue = CohortDue.Erasure, NextDueAt = Later };

        var erasing = Assert.IsType<CohortDecision.Accepted>(When(closed, new CohortEvent.ErasureDue()));
        var erased = Assert.IsType<CohortDecision.Accepted>(When(erasing.Cohort, new CohortEvent.PersonalDataErased()));

        Assert.Equal(new CohortCommand.ErasePersonalData(), Assert.Single(erasing.Commands));
        Assert.Null(erasing.Cohort.NextDue);
        Assert.True(erased.Cohort.PersonalDataErased);
    }

    [Fact]
    public void Given_open_intake_When_a_mentor_is_pinned_as_a_mentee_and_a_removed_person_is_forbidden_Then_each_field_is_named()
    {
        var people = People.MenteesAndMentors(1, 1);

        var invalid = Assert.IsType<CohortDecision.Invalid>(When(ACohort.Open(),
            new CohortEvent.PairSteered(Steer.Pin, people[1], people[0] with { Status = ParticipantStatus.Removed })));

        Assert.Equal(["menteeId", "mentorId"], invalid.Errors.ToDictionary().Keys);
        Assert.Contains("not a mentee", invalid.Errors.ToDictionary()["menteeId"][0]);
    }

    [Fact]
    public void Given_a_pinned_pair_When_it_is_forbidden_Then_the_pin_gives_way_and_removing_the_mentee_drops_both()
    {
        var people = People.MenteesAndMentors(1, 1);
        var pinned = Assert.IsType<CohortDecision.Accepted>(When(ACohort.Open(), new CohortEvent.PairSteered(Steer.Pin, people[0], people[1]))).Cohort;

        var forbidden = Assert.IsType<CohortDecision.Accepted>(When(pinned, new CohortEvent.PairSteered(Steer.Forbid, people[0], people[1]))).Cohort;
        var removed = Assert.IsType<CohortDecision.Accepted>(When(forbidden, new CohortEvent.ParticipantRemoved(people[0])));

        Assert.Equal([new PairKey(people[0].Id, people[1].Id)], pinned.Steering.Pins);
        Assert.Empty(forbidden.Steering.Pins);
        Assert.Equal([new PairKey(people[0].Id, people[1].Id)], forbidden.Steering.Forbids);
        Assert.Equal(MatchingSteering.None.Forbids, removed.Cohort.Steering.Forbids);
        Assert.Equal(new CohortCommand.MarkRemoved(people[0].Id), Assert.Single(removed.Commands));
    }

    [Theory]
    [InlineData(CohortStatus.Draft)]
    [InlineData(CohortStatus.Matched)]
    [InlineData(CohortStatus.Running)]
    public void Given_cohort_outside_matching_When_matching_is_run_or_steered_Then_it_is_rejected(CohortStatus status)
    {
        var people = People.MenteesAndMentors(1, 1);
        var cohort = ACohort.Open() with { Status = status };

        Assert.IsType<CohortDecision.Rejected>(When(cohort, new CohortEvent.MatchingRequested(people)));
        Assert.IsType<CohortDecision.Rejected>(When(cohort, new CohortEvent.PairSteered(Steer.Pin, people[0], people[1])));
        Assert.IsType<CohortDecision.Rejected>(When(cohort, new CohortEvent.ParticipantRemoved(people[0])));
    }
}

public class RematchingTests
{
    [Fact]
    public void Given_a_pair_whose_mentee_has_left_When_a_rematch_is_asked_Then_it_is_rejected_not_thrown()
    {
        var people = People.MenteesAndMentors(1, 2);
        var pair = Pair.Start("pair-1", "c", Member.Of(people[0]), Member.Of(people[1]), ACohort.Now, false);

        var choice = Rematching.Choose(ACohort.Open(), pair, [.. people.Skip(1)], [pair], null);

        Assert.Contains("no longer registered", Assert.IsType<RematchChoice.Rejected>(choice).Reason);
    }

    [Fact]
    public void Given_a_mentor_with_room_When_a_rematch_is_asked_Then_that_mentor_is_chosen_and_a_full_one_never()
    {
        var people = People.MenteesAndMentors(2, 3);
        var mentor = people[2];
        var full = people[3] with { Capacity = 1 };
        var pair = Pair.Start("pair-1", "c", Member.Of(people[0]), Member.Of(mentor), ACohort.Now, false);
        var other = Pair.Start("pair-2", "c", Member.Of(people[1]), Member.Of(full), ACohort.Now, false);

        var choice = Rematching.Choose(ACohort.Open(), pair, [people[0], people[1], mentor, full, people[4]], [pair, other], null);

        Assert.Equal(people[4].Id, Assert.IsType<RematchChoice.Chosen>(choice).Mentor.Id);
        Assert.IsType<RematchChoice.Invalid>(Rematching.Choose(ACohort.Open(), pair, people, [pair], people[0].Id));
    }
}

public class VocabularyTests
{
    [Fact]
    public void Every_officially_assigned_country_code_is_known_and_nothing_else()
    {
        Assert.Equal(249, Countries.Count);
        Assert.True(Countries.IsAlpha2("US"));
        Assert.False(Countries.IsAlpha2("UK"));
    }

    [Fact]
    public void Words_round_trip_every_enum_value_in_camel_case()
    {
        foreach (var value in Enum.GetValues<GeographyRule>())
        {
            Assert.True(Words.TryParse<GeographyRule>(Words.Of(value), out var parsed));
            Assert.Equal(value, parsed);
        }
        Assert.Equal("preferDifferentRegion", Words.Of(GeographyRule.PreferDifferentRegion));
        Assert.False(Words.TryParse<GeographyRule>("PreferDifferentRegion", out _));
        Assert.False(Words.TryParse<GeographyRule>("1", out _));
    }
}
