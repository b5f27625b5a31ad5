using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

public class PairDeciderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly PairTerms Terms = new(9, CheckInCadence.Monthly, TimeSpan.FromDays(7), TimeSpan.FromDays(14));
    private static readonly Member Mentee = new("p-mentee", "Ana López", "ana@x.example", "America/Chicago", true);
    private static readonly Member Mentor = new("p-mentor", "Ben Okafor", "ben@x.example", "Asia/Tokyo", true);
    private static readonly DateTimeOffset LaunchedAt = new(2027, 1, 12, 15, 30, 0, TimeSpan.Zero); // a Tuesday

    private static Pair Launched(bool late = false) => Pair.Start("pair-1", "c", Mentee, Mentor, LaunchedAt, late);

    private static PairDecision.Accepted Accept(Pair pair, PairEvent e, DateTimeOffset at) =>
        Assert.IsType<PairDecision.Accepted>(PairDecider.Decide(pair, e, Terms, at));

    /// <summary>Folds the events the schedule makes due, each at its due time, answering check-ins with <paramref name="answers"/>.</summary>
    private static (Pair Pair, List<PairCommand> Commands) RunTerm(Func<int, Answer?> answers, Pair? start = null)
    {
        var pair = start ?? Launched();
        var commands = new List<PairCommand>();
        for (var guard = 0; guard < 100 && pair.NextDue is not null; guard++)
        {
            var at = pair.NextDueAt!.Value;
            var decided = Accept(pair, PairDecider.DueEvent(pair)!, at);
            pair = decided.Pair;
            commands.AddRange(decided.Commands);
            if (decided.Commands.OfType<PairCommand.SendEmail>().Any(c => c.Kind == EmailKind.CheckIn) && answers(pair.Month) is { } answer)
            {
                pair = Accept(pair, new PairEvent.CheckInAnswered(pair.Month, Mentee.ParticipantId, answer), at.AddDays(1)).Pair;
            }
        }
        return (pair, commands);
    }

    [Fact]
    public void Given_launched_pair_When_introduction_is_due_Then_each_is_introduced_in_their_own_email_and_check_in_1_is_set_for_9am_in_the_mentees_zone()
    {
        var decided = Accept(Launched(), new PairEvent.IntroductionDue(), LaunchedAt);

        Assert.Equal(PairStatus.Active, decided.Pair.Status);
        var emails = decided.Commands.Cast<PairCommand.SendEmail>().ToList();
        Assert.All(emails, e => Assert.Equal(EmailKind.Introduction, e.Kind));
        Assert.Equal([["p-mentee"], ["p-mentor"]], emails.Select(e => e.To));
        Assert.Equal(2, emails.Select(e => e.Key).Distinct().Count());
        Assert.Equal((Due.CheckIn, new DateTimeOffset(2027, 2, 12, 9, 0, 0, TimeSpan.FromHours(-6))), (decided.Pair.NextDue, decided.Pair.NextDueAt));
    }

    [Fact]
    public void Given_a_cohort_launched_after_the_deadline_When_introduced_Then_the_admins_are_told()
    {
        var decided = Accept(Launched(late: true), new PairEvent.IntroductionDue(), LaunchedAt);

        Assert.Contains(decided.Commands, c => c is PairCommand.AlertAdmins { Kind: AlertKind.LateIntroduction });
    }

    [Fact]
    public void Given_a_pair_that_always_meets_When_the_term_runs_Then_nine_check_ins_no_reminders_a_survey_and_completion_after_two_weeks()
    {
        var (pair, commands) = RunTerm(_ => Answer.Met);
        var emails = commands.OfType<PairCommand.SendEmail>().ToList();

        Assert.Equal(PairStatus.Completed, pair.Status);
        Assert.Equal(Enumerable.Range(1, 9).SelectMany(k => new[] { k, k }), emails.Where(e => e.Kind == EmailKind.CheckIn).Select(e => e.Month));
        Assert.DoesNotContain(emails, e => e.Kind == EmailKind.CheckInReminder);
        Assert.Equal(2, emails.Count(e => e.Kind == EmailKind.Survey));
        // Neither answered the survey: one reminder each, to each alone.
        Assert.Equal([["p-mentee"], ["p-mentor"]], emails.Where(e => e.Kind == EmailKind.SurveyReminder).Select(e => e.To));
        Assert.All(emails, e => Assert.Single(e.To));
        Assert.Empty(commands.OfType<PairCommand.AlertAdmins>());
        Assert.Equal(emails.Count, emails.Select(e => e.Key).Distinct().Count());
    }

    [Fact]
    public void Given_a_pair_that_never_answers_When_the_term_runs_Then_each_check_in_gets_one_reminder_and_the_pair_is_flagged_at_risk_once()
    {
        var (pair, commands) = RunTerm(_ => null);

        Assert.Equal(18, commands.OfType<PairCommand.SendEmail>().Count(e => e.Kind == EmailKind.CheckInReminder));
        var alert = Assert.Single(commands.OfType<PairCommand.AlertAdmins>());
        Assert.Equal((AlertKind.AtRisk, 2), (alert.Kind, alert.Month));
        Assert.Contains("month 1: no answer, month 2: no answer", alert.Detail);
        Assert.Equal(PairStatus.Completed, pair.Status);
    }

    [Fact]
    public void Given_an_at_risk_pair_When_they_answer_we_met_Then_the_pair_is_active_again()
    {
        var pair = Launched();
        for (var i = 0; i < 7; i++)
        {
            pair = Accept(pair, PairDecider.DueEvent(pair)!, pair.NextDueAt!.Value).Pair;
        }
        Assert.Equal(PairStatus.AtRisk, pair.Status);

        var decided = Accept(pair, new PairEvent.CheckInAnswered(pair.Month, Mentor.ParticipantId, Answer.Met), pair.NextDueAt!.Value.AddHours(-1));

        Assert.Equal((PairStatus.Active, 0), (decided.Pair.Status, decided.Pair.MonthsWithoutMeeting));
    }

    [Fact]
    public void Given_a_check_in_waiting_for_its_reminder_When_it_is_answered_Then_the_same_write_schedules_the_next_check_in_and_no_reminder_remains()
    {
        var month1 = AtMonth1();
        Assert.Equal(Due.Reminder, month1.NextDue);
        // What the reminder's own transition sets for a month already answered: no email, the next check-in.
        var skipped = Accept(month1 with { Answers = new Dictionary<int, Answer> { [1] = Answer.NotYet } }, new PairEvent.ReminderDue(1), month1.NextDueAt!.Value);
        Assert.Empty(skipped.Commands);

        var answered = Accept(month1, new PairEvent.CheckInAnswered(1, Mentee.ParticipantId, Answer.NotYet), LaunchedAt.AddMonths(1).AddHours(1));

        Assert.Equal((Due.CheckIn, skipped.Pair.NextDueAt), (answered.Pair.NextDue, answered.Pair.NextDueAt));
        Assert.EndsWith("no reminder needed", answered.Summary, StringComparison.Ordinal);
        // An answer after the reminder went out leaves the schedule alone.
        var reminded = Accept(month1, new PairEvent.ReminderDue(1), month1.NextDueAt!.Value);
        Assert.Contains(reminded.Commands, c => c is PairCommand.SendEmail { Kind: EmailKind.CheckInReminder });
        var late = Accept(reminded.Pair, new PairEvent.CheckInAnswered(1, Mentor.ParticipantId, Answer.Met), reminded.Pair.NextDueAt!.Value.AddDays(-1));
        Assert.Equal((reminded.Pair.NextDue, reminded.Pair.NextDueAt), (late.Pair.NextDue, late.Pair.NextDueAt));
        Assert.DoesNotContain("no reminder", late.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_active_pair_When_someone_asks_for_help_Then_the_admins_are_alerted_at_once_and_a_repeat_changes_nothing()
    {
        var pair = Accept(Accept(Launched(), new PairEvent.IntroductionDue(), LaunchedAt).Pair, new PairEvent.CheckInDue(1), LaunchedAt.AddMonths(1)).Pair;

        var first = Accept(pair, new PairEvent.CheckInAnswered(1, Mentee.ParticipantId, Answer.NeedHelp), LaunchedAt.AddMonths(1).AddHours(2));
        var again = Accept(first.Pair, new PairEvent.CheckInAnswered(1, Mentee.ParticipantId, Answer.NeedHelp), LaunchedAt.AddMonths(1).AddHours(3));

        var alert = Assert.IsType<PairCommand.AlertAdmins>(Assert.Single(first.Commands));
        Assert.Equal(AlertKind.NeedsHelp, alert.Kind);
        Assert.Contains("Ana López", alert.Detail);
        Assert.Empty(again.Commands);
        Assert.Equal(first.Pair, again.Pair);
    }

    private static Pair AtMonth1() => Accept(Accept(Launched(), new PairEvent.IntroductionDue(), LaunchedAt).Pair, new PairEvent.CheckInDue(1), LaunchedAt.AddMonths(1)).Pair;

    [Fact]
    public void Given_a_pair_that_met_When_one_person_replays_we_need_help_fifteen_times_Then_one_alert_goes_out_and_the_replays_change_nothing()
    {
        var met = Accept(AtMonth1(), new PairEvent.CheckInAnswered(1, Mentor.ParticipantId, Answer.Met), LaunchedAt.AddMonths(1).AddHours(1)).Pair;

        var decisions = Enumerable.Range(0, 15).Aggregate((Pair: met, Decided: new List<PairDecision.Accepted>()), (state, i) =>
        {
            var decided = Accept(state.Pair, new PairEvent.CheckInAnswered(1, Mentee.ParticipantId, Answer.NeedHelp), LaunchedAt.AddMonths(1).AddHours(2 + i));
            state.Decided.Add(decided);
            return (decided.Pair, state.Decided);
        }).Decided;

        Assert.Single(decisions.SelectMany(d => d.Commands));
        Assert.All(decisions.Skip(1), d => Assert.Same(decisions[0].Pair, d.Pair));
        Assert.Equal(Answer.Met, decisions[0].Pair.Answers[1]);
    }

    [Fact]
    public void Given_a_person_who_asked_for_help_When_they_change_their_answer_and_ask_again_Then_the_admins_hear_it_once_and_a_fourth_change_is_refused()
    {
        var pair = AtMonth1();
        var at = LaunchedAt.AddMonths(1);
        var commands = new List<PairCommand>();
        foreach (var answer in new[] { Answer.NeedHelp, Answer.NotYet, Answer.NeedHelp, Answer.Met })
        {
            var decided = Accept(pair, new PairEvent.CheckInAnswered(1, Mentee.ParticipantId, answer), at = at.AddHours(1));
            commands.AddRange(decided.Commands);
            pair = decided.Pair;
        }

        var fifth = PairDecider.Decide(pair, new PairEvent.CheckInAnswered(1, Mentee.ParticipantId, Answer.NotYet), Terms, at.AddHours(1));

        Assert.Single(commands);
        Assert.Equal(Answer.Met, pair.Answers[1]);
        Assert.Contains("3 times", Assert.IsType<PairDecision.Rejected>(fifth).Reason);
    }

    [Fact]
    public void Given_a_survey_answered_When_the_same_person_answers_again_Then_the_first_answer_stands()
    {
        var open = Launched() with { Status = PairStatus.Surveying, SurveySentAt = LaunchedAt };
        var first = Accept(open, new PairEvent.SurveyAnswered(Mentee.ParticipantId, new SurveyAnswer(5, "yes", true, true, false, null)), LaunchedAt);

        var again = Accept(first.Pair, new PairEvent.SurveyAnswered(Mentee.ParticipantId, new SurveyAnswer(1, "no", false, false, false, "changed")), LaunchedAt);

        Assert.Same(first.Pair, again.Pair);
        Assert.Equal(5, again.Pair.Survey[Mentee.ParticipantId].Satisfaction);
    }

    [Fact]
    public void Given_a_survey_answer_When_its_author_changes_it_from_the_manage_page_before_the_survey_closes_Then_the_change_stands_and_after_it_is_refused()
    {
        var open = Launched() with { Status = PairStatus.Surveying, SurveySentAt = LaunchedAt };
        var answered = Accept(open, new PairEvent.SurveyAnswered(Mentee.ParticipantId, new SurveyAnswer(2, "no", false, false, false, null)), LaunchedAt).Pair;

        var changed = Accept(answered, new PairEvent.SurveyChanged(Mentee.ParticipantId, new SurveyAnswer(5, "yes", true, true, true, "better")), LaunchedAt.AddDays(3));
        var late = PairDecider.Decide(answered, new PairEvent.SurveyChanged(Mentee.ParticipantId, new SurveyAnswer(5, "yes", true, true, true, null)), Terms, LaunchedAt.AddDays(15));
        var stranger = PairDecider.Decide(answered, new PairEvent.SurveyChanged(Mentor.ParticipantId, new SurveyAnswer(5, "yes", true, true, true, null)), Terms, LaunchedAt.AddDays(3));

        Assert.Equal(5, changed.Pair.Survey[Mentee.ParticipantId].Satisfaction);
        Assert.IsType<PairDecision.Rejected>(late);
        Assert.IsType<PairDecision.Rejected>(stranger);
    }

    [Fact]
    public void Given_a_survey_answer_When_its_author_changes_it_three_hundred_times_Then_three_changes_stand_the_same_answer_changes_nothing_and_the_rest_are_refused()
    {
        var open = Launched() with { Status = PairStatus.Surveying, SurveySentAt = LaunchedAt };
        var pair = Accept(open, new PairEvent.SurveyAnswered(Mentee.ParticipantId, new SurveyAnswer(2, "no", false, false, false, null)), LaunchedAt).Pair;
        var accepted = 0;
        var rejected = 0;

        for (var i = 0; i < 300; i++)
        {
            switch (PairDecider.Decide(pair, new PairEvent.SurveyChanged(Mentee.ParticipantId, new SurveyAnswer(1 + i % 5, "yes", true, true, true, null)), Terms, LaunchedAt.AddDays(1)))
            {
                case PairDecision.Accepted a when a.Pair != pair:
                    accepted++;
                    pair = a.Pair;
                    break;
                case PairDecision.Rejected:
                    rejected++;
                    break;
                case PairDecision.Accepted unchanged:
                    Assert.Empty(unchanged.Commands); // the answer it already holds: nothing to write
                    break;
            }
        }

        Assert.Equal(PairDecider.MaxAnswerChanges, accepted);
        Assert.InRange(rejected, 200, 300 - PairDecider.MaxAnswerChanges);
        Assert.Equal(PairDecider.MaxAnswerChanges, pair.SurveyChanges[Mentee.ParticipantId]);
    }

    [Fact]
    public void Given_ten_thousand_answers_of_every_kind_When_folded_into_a_pair_Then_its_accepted_changes_and_history_stay_bounded()
    {
        var (pair, _) = RunTerm(_ => null);
        pair = pair with { Status = PairStatus.Active, Month = 9, NextDue = null };
        var random = new Random(10_000);
        var accepted = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var who = random.Next(2) == 0 ? Mentee : Mentor;
            var e = new PairEvent.CheckInAnswered(random.Next(1, 10), who.ParticipantId, (Answer)random.Next(3));
            if (PairDecider.Decide(pair, e, Terms, LaunchedAt.AddYears(1)) is PairDecision.Accepted decided && !ReferenceEquals(decided.Pair, pair))
            {
                accepted++;
                pair = decided.Pair;
            }
        }

        // At most one answer and three changes per person and month: every accepted change is one history entry.
        Assert.InRange(accepted, 9 * 2, 9 * 2 * (1 + PairDecider.MaxAnswerChanges));
        var size = System.Text.Json.JsonSerializer.Serialize(pair).Length;
        output.WriteLine($"10,000 answers: {accepted} accepted changes, pair state {size:N0} bytes");
        Assert.InRange(size, 1, 16_384);
    }

    [Fact]
    public void Given_an_active_pair_When_paused_for_two_months_and_resumed_Then_the_remaining_schedule_moves_by_two_months()
    {
        var active = Accept(Launched(), new PairEvent.IntroductionDue(), LaunchedAt).Pair;
        var pausedAt = LaunchedAt.AddDays(10);
        var resumedAt = pausedAt.AddDays(61);

        var paused = Accept(active, new PairEvent.Paused(), pausedAt).Pair;
        var dueWhilePaused = PairDecider.Decide(paused, new PairEvent.CheckInDue(1), Terms, active.NextDueAt!.Value);
        var resumed = Accept(paused, new PairEvent.Resumed(), resumedAt).Pair;

        Assert.IsType<PairDecision.Rejected>(dueWhilePaused);
        Assert.Equal(PairStatus.Active, resumed.Status);
        Assert.Equal(Schedule.CheckIn(active.IntroducedAt!.Value, TimeSpan.FromDays(61), 1, CheckInCadence.Monthly, Mentee.TimeZone), resumed.NextDueAt);
        Assert.InRange(resumed.NextDueAt!.Value - active.NextDueAt!.Value, TimeSpan.FromDays(59), TimeSpan.FromDays(63));
        Assert.Equal(TimeSpan.FromDays(61), resumed.PausedFor);
    }

    [Theory]
    [InlineData(0, 6, 1)]
    [InlineData(3, 6, 1)]
    [InlineData(0, 0, 17)]
    [InlineData(12, 23, 59)]
    public void Given_a_pair_paused_for_any_length_When_resumed_Then_its_next_check_in_and_reminder_stay_at_9am_on_a_weekday_in_the_mentees_zone(int days, int hours, int minutes)
    {
        var pause = new TimeSpan(days, hours, minutes, 0);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Mentee.TimeZone);
        var active = Accept(Launched(), new PairEvent.IntroductionDue(), LaunchedAt).Pair;
        var checkInSent = Accept(active, new PairEvent.CheckInDue(1), active.NextDueAt!.Value).Pair; // the reminder is next

        foreach (var pair in new[] { active, checkInSent })
        {
            var pausedAt = pair.NextDueAt!.Value.AddHours(-30);
            var paused = Accept(pair, new PairEvent.Paused(), pausedAt).Pair;
            var resumed = Accept(paused, new PairEvent.Resumed(), pausedAt + pause).Pair;
            var local = TimeZoneInfo.ConvertTime(resumed.NextDueAt!.Value, zone);

            Assert.Equal((9, 0), (local.Hour, local.Minute));
            Assert.DoesNotContain(local.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday });
            Assert.True(resumed.NextDueAt >= pair.NextDueAt, "the schedule never moves earlier than it was");
        }
    }

    [Fact]
    public void Given_a_pair_in_month_4_When_rematched_Then_the_new_mentor_is_introduced_and_the_months_continue()
    {
        var pair = RunTermUntilMonth(4);
        var newMentor = new Member("p-new", "Chidi A.", "chidi@x.example", "Europe/London", false);

        var decided = Accept(pair, new PairEvent.Rematched(newMentor), pair.NextDueAt!.Value.AddDays(-1));

        var emails = decided.Commands.Cast<PairCommand.SendEmail>().ToList();
        var intros = emails.Where(e => e.Kind == EmailKind.Introduction).ToList();
        Assert.All(intros, intro => Assert.Equal(4, intro.Month));
        Assert.Equal([["p-mentee"], ["p-new"]], intros.Select(e => e.To));
        Assert.Equal(["p-mentor"], Assert.Single(emails, e => e.Kind == EmailKind.MentorReplaced).To); // the mentor replaced is told
        Assert.Equal([Mentor], decided.Pair.Former);
        Assert.Equal((4, 1, newMentor), (decided.Pair.Month, decided.Pair.Rematches, decided.Pair.Mentor));
        Assert.Equal(pair.NextDueAt, decided.Pair.NextDueAt);
    }

    [Fact]
    public void Given_an_introduced_pair_When_paused_resumed_and_ended_by_an_admin_Then_each_person_is_told_each_time_and_offered_the_survey_at_the_end()
    {
        var pair = RunTermUntilMonth(2);
        var at = pair.NextDueAt!.Value.AddDays(-3);

        var paused = Accept(pair, new PairEvent.Paused(), at);
        var resumed = Accept(paused.Pair, new PairEvent.Resumed(), at.AddDays(1));
        var ended = Accept(resumed.Pair, new PairEvent.Cancelled("schedules never matched"), at.AddDays(2));
        var answered = Accept(ended.Pair, new PairEvent.SurveyAnswered(Mentee.ParticipantId, new SurveyAnswer(3, "partly", false, true, false, null)), at.AddDays(5));
        var tooLate = PairDecider.Decide(answered.Pair, new PairEvent.SurveyAnswered(Mentor.ParticipantId, new SurveyAnswer(3, "partly", false, true, false, null)), Terms, at.AddDays(20));

        foreach (var (decision, kind) in new[] { (paused, EmailKind.PairPaused), (resumed, EmailKind.PairResumed), (ended, EmailKind.PairEnded) })
        {
            var emails = decision.Commands.Cast<PairCommand.SendEmail>().ToList();
            Assert.All(emails, e => Assert.Equal(kind, e.Kind));
            Assert.Equal([["p-mentee"], ["p-mentor"]], emails.Select(e => e.To));
        }
        Assert.Equal((PairStatus.Cancelled, at.AddDays(2)), (ended.Pair.Status, ended.Pair.SurveySentAt));
        Assert.Equal(PairStatus.Cancelled, answered.Pair.Status); // an ended pair's survey is kept; the pair stays ended
        Assert.True(answered.Pair.Survey.ContainsKey(Mentee.ParticipantId));
        Assert.IsType<PairDecision.Rejected>(tooLate);
    }

    [Fact]
    public void Given_a_cancelled_pair_When_anything_else_happens_Then_it_is_rejected()
    {
        var cancelled = Accept(RunTermUntilMonth(2), new PairEvent.Cancelled("mentor left the society"), LaunchedAt.AddMonths(2)).Pair;

        Assert.Equal((PairStatus.Cancelled, "mentor left the society", (Due?)null), (cancelled.Status, cancelled.CancelReason, cancelled.NextDue));
        Assert.IsType<PairDecision.Rejected>(PairDecider.Decide(cancelled, new PairEvent.Resumed(), Terms, LaunchedAt.AddMonths(3)));
        Assert.IsType<PairDecision.Rejected>(PairDecider.Decide(cancelled, new PairEvent.CheckInDue(3), Terms, LaunchedAt.AddMonths(3)));
        Assert.IsType<PairDecision.Rejected>(PairDecider.Decide(cancelled, new PairEvent.Cancelled("again"), Terms, LaunchedAt.AddMonths(3)));
    }

    [Fact]
    public void Given_check_in_1_sent_When_check_in_3_arrives_out_of_order_Then_it_is_rejected()
    {
        var pair = RunTermUntilMonth(1);

        Assert.IsType<PairDecision.Rejected>(PairDecider.Decide(pair, new PairEvent.CheckInDue(3), Terms, LaunchedAt.AddMonths(3)));
        Assert.IsType<PairDecision.Rejected>(PairDecider.Decide(pair, new PairEvent.CheckInAnswered(2, Mentee.ParticipantId, Answer.Met), Terms, LaunchedAt.AddMonths(3)));
        Assert.IsType<PairDecision.Rejected>(PairDecider.Decide(pair, new PairEvent.CheckInAnswered(1, "p-stranger", Answer.Met), Terms, LaunchedAt.AddMonths(3)));
    }

    [Fact]
    public void Given_the_survey_When_one_person_answers_Then_only_the_other_is_reminded_and_both_answers_complete_the_pair()
    {
        var pair = RunTermUntil(p => p.Status == PairStatus.Surveying);
        var answer = new SurveyAnswer(5, "yes", true, true, false, "Great year");

        var oneAnswered = Accept(pair, new PairEvent.SurveyAnswered(Mentee.ParticipantId, answer), pair.NextDueAt!.Value.AddDays(-1)).Pair;
        var reminded = Accept(oneAnswered, new PairEvent.SurveyReminderDue(), oneAnswered.NextDueAt!.Value);
        var completed = Accept(reminded.Pair, new PairEvent.SurveyAnswered(Mentor.ParticipantId, answer), reminded.Pair.NextDueAt!.Value.AddDays(-1)).Pair;

        var reminder = Assert.IsType<PairCommand.SendEmail>(Assert.Single(reminded.Commands));
        Assert.Equal(["p-mentor"], reminder.To);
        Assert.Equal(PairStatus.Completed, completed.Status);
        Assert.Null(completed.NextDue);
    }

    [Fact]
    public void Given_an_introduced_pair_When_resend_is_asked_Then_the_last_email_goes_again_under_a_new_key()
    {
        var pair = RunTermUntilMonth(2);

        var decided = Accept(pair, new PairEvent.ResendRequested(), pair.NextDueAt!.Value.AddDays(-1));

        var emails = decided.Commands.Cast<PairCommand.SendEmail>().ToList();
        Assert.Equal([(EmailKind.CheckIn, 2, "pair-1/resend-1/CheckIn-2/p-mentee", "p-mentee"), (EmailKind.CheckIn, 2, "pair-1/resend-1/CheckIn-2/p-mentor", "p-mentor")],
            emails.Select(e => (e.Kind, e.Month, e.Key, Assert.Single(e.To))));
    }

    [Fact]
    public void A_nudge_sends_this_months_reminder_to_both_only_while_the_check_in_is_unanswered_and_not_before_the_first_check_in()
    {
        var pair = RunTermUntilMonth(2);
        var at = pair.NextDueAt!.Value.AddDays(-1);
        var introduced = Accept(Launched(), new PairEvent.IntroductionDue(), LaunchedAt).Pair;
        var answered = Accept(pair, new PairEvent.CheckInAnswered(2, Mentee.ParticipantId, Answer.Met), at).Pair;

        var nudged = Accept(pair, new PairEvent.Nudged(), at);
        var again = Accept(nudged.Pair, new PairEvent.Nudged(), at);
        var early = PairDecider.Decide(introduced, new PairEvent.Nudged(), Terms, LaunchedAt);
        var late = PairDecider.Decide(answered, new PairEvent.Nudged(), Terms, at);

        Assert.True(pair.AwaitsAnswer());
        Assert.Equal([(EmailKind.CheckInReminder, 2, "pair-1/checkInReminder-2/nudge-1/p-mentee"), (EmailKind.CheckInReminder, 2, "pair-1/checkInReminder-2/nudge-1/p-mentor")],
            nudged.Commands.Cast<PairCommand.SendEmail>().Select(e => (e.Kind, e.Month, e.Key)));
        Assert.All(again.Commands.Cast<PairCommand.SendEmail>(), e => Assert.Contains("/nudge-2/", e.Key, StringComparison.Ordinal));
        Assert.Equal(pair.NextDueAt, nudged.Pair.NextDueAt); // the schedule is untouched
        Assert.Contains("No check-in has been sent", Assert.IsType<PairDecision.Rejected>(early).Reason, StringComparison.Ordinal);
        Assert.Contains("has answered check-in 2", Assert.IsType<PairDecision.Rejected>(late).Reason, StringComparison.Ordinal);
        Assert.False(answered.AwaitsAnswer());
    }

    [Fact]
    public void Check_ins_stay_at_9am_local_across_a_DST_change_and_never_fall_on_a_weekend()
    {
        var introduced = new DateTimeOffset(2027, 1, 14, 16, 0, 0, TimeSpan.Zero); // Thursday
        var times = Enumerable.Range(1, 9).Select(k => Schedule.CheckIn(introduced, TimeSpan.Zero, k, CheckInCadence.Monthly, "America/Chicago")).ToList();
        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");

        Assert.All(times, t => Assert.Equal(new TimeSpan(9, 0, 0), TimeZoneInfo.ConvertTime(t, chicago).TimeOfDay));
        Assert.All(times, t => Assert.True(TimeZoneInfo.ConvertTime(t, chicago).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)));
        Assert.Equal(TimeSpan.FromHours(-6), times[0].Offset); // February: CST
        Assert.Equal(TimeSpan.FromHours(-5), times[2].Offset); // April: CDT
        Assert.Equal(new DateOnly(2027, 8, 16), DateOnly.FromDateTime(times[6].DateTime)); // Aug 14 2027 is a Saturday → Monday
    }

    [Fact]
    public void A_reminder_to_one_person_waits_for_9am_on_a_weekday_in_that_persons_zone()
    {
        var friday = new DateTimeOffset(2027, 3, 5, 23, 0, 0, TimeSpan.Zero);

        var at = Schedule.NextWeekdayMorning(friday, TimeSpan.FromDays(7), "Asia/Tokyo");

        Assert.Equal(new DateTimeOffset(2027, 3, 15, 9, 0, 0, TimeSpan.FromHours(9)), at);
    }

    private static Pair RunTermUntilMonth(int month) => RunTermUntil(p => p.Month == month && p.NextDue == Due.Reminder);

    private static Pair RunTermUntil(Func<Pair, bool> stop)
    {
        var pair = Launched();
        while (!stop(pair))
        {
            pair = Accept(pair, PairDecider.DueEvent(pair)!, pair.NextDueAt!.Value).Pair;
        }
        return pair;
    }
}

public class MonthFiguresTests
{
    private static readonly Member Mentee = new("p-mentee", "Ana López", "ana@example.org", "America/Chicago", true);
    private static readonly Member Mentor = new("p-mentor", "Ben Okafor", "ben@example.org", "America/Chicago", true);

    private static Pair At(int month, PairStatus status, params (int Month, Answer Answer)[] answers) =>
        Pair.Start($"pair-{Guid.NewGuid():N}", "c", Mentee, Mentor, DateTimeOffset.UnixEpoch, false) with
        {
            Month = month, Status = status, Answers = answers.ToDictionary(a => a.Month, a => a.Answer),
            AnswersBy = answers.ToDictionary(a => $"{a.Month}:{Mentee.ParticipantId}", a => new PersonAnswer(a.Answer, 0, a.Answer == Answer.NeedHelp)),
        };

    [Fact]
    public void Given_pairs_through_three_months_When_the_months_are_counted_Then_answers_risk_and_states_follow_the_deciders_rule()
    {
        Pair[] pairs =
        [
            At(3, PairStatus.Active, (1, Answer.NotYet), (2, Answer.NotYet), (3, Answer.Met)),   // at risk when month 2 closed, month 3 still open
            At(3, PairStatus.Active, (1, Answer.Met), (2, Answer.NeedHelp), (3, Answer.Met)),
            At(1, PairStatus.Cancelled),                                                            // ended in month 1, never answered
        ];

        var months = MonthFigures.Of(9, pairs);

        Assert.Equal((3, 1, 1, 0, 1, 0), (months[0].Asked, months[0].Met, months[0].NotYet, months[0].NeedHelp, months[0].Unanswered, months[0].BecameAtRisk));
        Assert.Equal((2, 0, 1, 1, 0, 1), (months[1].Asked, months[1].Met, months[1].NotYet, months[1].NeedHelp, months[1].Unanswered, months[1].BecameAtRisk));
        Assert.Equal((1, 1, 1), (months[1].OnTrack, months[1].AtRisk, months[1].EndedEarly));
        Assert.Equal((2, 0, 1, 1.0), (months[2].OnTrack, months[2].AtRisk, months[2].EndedEarly, months[2].MetShare!.Value));
        Assert.Equal((0, 1, null), (months[3].Asked, months[3].EndedEarly, months[3].MetShare));
    }
}
