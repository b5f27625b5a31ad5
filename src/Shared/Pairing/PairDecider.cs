namespace MentorFlow.Shared.Pairing;

public abstract record PairEvent
{
    private PairEvent() { }

    public sealed record IntroductionDue : PairEvent;

    public sealed record CheckInDue(int Month) : PairEvent;

    public sealed record ReminderDue(int Month) : PairEvent;

    public sealed record SurveyDue : PairEvent;

    public sealed record SurveyReminderDue : PairEvent;

    public sealed record SurveyTimedOut : PairEvent;

    public sealed record CheckInAnswered(int Month, string ParticipantId, Answer Answer) : PairEvent;

    public sealed record SurveyAnswered(string ParticipantId, SurveyAnswer Answer) : PairEvent;

    public sealed record Paused : PairEvent;

    public sealed record Resumed : PairEvent;

    public sealed record Cancelled(string Reason) : PairEvent;

    public sealed record Rematched(Member NewMentor) : PairEvent;

    public sealed record ResendRequested : PairEvent;

    /// <summary>An admin nudges a pair that has not answered this month's check-in: the check-in's reminder goes to both again.</summary>
    public sealed record Nudged : PairEvent;

    /// <summary>A person changes their survey answer on their manage page, before the survey closes (the first answer stands otherwise).</summary>
    public sealed record SurveyChanged(string ParticipantId, SurveyAnswer Answer) : PairEvent;

    /// <summary>One of the two answered the cohort's mid-term pulse from the link in that month's check-in (answers already checked).</summary>
    public sealed record PulseAnswered(string ParticipantId, IReadOnlyDictionary<string, IReadOnlyList<string>> Answers) : PairEvent;

    /// <summary>One of the two withdrew from the program (from their manage page, or erased their data).</summary>
    public sealed record Withdrew(string ParticipantId) : PairEvent;
}

public abstract record PairCommand
{
    private PairCommand() { }

    /// <summary>Send one email; <paramref name="Key"/> is deterministic, so the same decision always yields the same message.</summary>
    public sealed record SendEmail(string Key, EmailKind Kind, int Month, IReadOnlyList<string> To) : PairCommand;

    public sealed record AlertAdmins(string Key, AlertKind Kind, int Month, string Detail) : PairCommand;
}

public abstract record PairDecision
{
    private PairDecision() { }

    public sealed record Accepted(Pair Pair, IReadOnlyList<PairCommand> Commands, string Summary) : PairDecision;

    /// <summary>The event does not apply to the pair in its state; nothing changes.</summary>
    public sealed record Rejected(PairStatus Status, string Reason) : PairDecision;
}

/// <summary>
/// The pair's workflow as one state × event table: pure and deterministic. The dispatcher feeds it the event the pair's
/// schedule says is due; people and admins feed it answers and interventions. Every accepted decision is one write.
/// </summary>
public static class PairDecider
{
    /// <summary>The event the pair's schedule is waiting for, once <see cref="Pair.NextDueAt"/> has passed.</summary>
    public static PairEvent? DueEvent(Pair pair) => pair.NextDue switch
    {
        Due.Introduction => new PairEvent.IntroductionDue(),
        Due.CheckIn => new PairEvent.CheckInDue(pair.Month + 1),
        Due.Reminder => new PairEvent.ReminderDue(pair.Month),
        Due.Survey => new PairEvent.SurveyDue(),
        Due.SurveyReminder => new PairEvent.SurveyReminderDue(),
        Due.SurveyClose => new PairEvent.SurveyTimedOut(),
        _ => null,
    };

    public static PairDecision Decide(Pair pair, PairEvent @event, PairTerms terms, DateTimeOffset now) =>
        (pair.Status, @event) switch
        {
            (PairStatus.Launched, PairEvent.IntroductionDue) => Introduce(pair, terms, now),
            (PairStatus.Active or PairStatus.AtRisk, PairEvent.CheckInDue due) when due.Month == pair.Month + 1 && due.Month <= terms.TermMonths =>
                SendCheckIn(pair, due.Month, terms, now),
            (PairStatus.Active or PairStatus.AtRisk, PairEvent.ReminderDue due) when due.Month == pair.Month => Remind(pair, terms, now),
            (PairStatus.Active or PairStatus.AtRisk, PairEvent.SurveyDue) => OpenSurvey(pair, terms, now),
            (PairStatus.Active or PairStatus.AtRisk or PairStatus.Surveying or PairStatus.Paused, PairEvent.CheckInAnswered answer)
                when answer.Month >= 1 && answer.Month <= pair.Month && IsMember(pair, answer.ParticipantId) => RecordAnswer(pair, answer, terms),
            (PairStatus.Surveying, PairEvent.SurveyReminderDue) => RemindSurvey(pair, terms, now),
            (PairStatus.Active or PairStatus.AtRisk or PairStatus.Paused, PairEvent.PulseAnswered pulse)
                when IsMember(pair, pulse.ParticipantId) && terms.PulseMonth is { } pulseMonth && pair.Month >= pulseMonth => RecordPulse(pair, pulse, now),
            (PairStatus.Surveying, PairEvent.SurveyAnswered answer) when IsMember(pair, answer.ParticipantId) => RecordSurvey(pair, answer),
            (PairStatus.Cancelled, PairEvent.SurveyAnswered answer)
                when IsMember(pair, answer.ParticipantId) && pair.SurveySentAt is { } offered && now < offered + terms.SurveyOpenFor => RecordSurvey(pair, answer),
            (PairStatus.Surveying or PairStatus.Completed, PairEvent.SurveyChanged change)
                when pair.Survey.ContainsKey(change.ParticipantId) && pair.SurveySentAt is { } sent && now < sent + terms.SurveyOpenFor => ChangeSurvey(pair, change),
            (PairStatus.Surveying, PairEvent.SurveyTimedOut) =>
                Accept(pair with { Status = PairStatus.Completed, NextDue = null, NextDueAt = null }, [], "survey closed"),
            (PairStatus.Launched or PairStatus.Active or PairStatus.AtRisk or PairStatus.Surveying, PairEvent.Paused) =>
                Accept(pair with { Status = PairStatus.Paused, ResumeTo = pair.Status, PausedAt = now },
                    pair.Status == PairStatus.Launched ? [] : [.. Emails(pair, EmailKind.PairPaused, pair.Month, pair.Both, suffix: $"at-{now.ToUnixTimeSeconds()}")],
                    pair.Status == PairStatus.Launched ? "paused by an admin before the introduction" : "paused by an admin; both were told"),
            (PairStatus.Paused, PairEvent.Resumed) => Resume(pair, terms, now),
            (not (PairStatus.Completed or PairStatus.Cancelled), PairEvent.Cancelled cancelled) => Cancel(pair, cancelled, now),
            (PairStatus.Active or PairStatus.AtRisk or PairStatus.Paused, PairEvent.Rematched rematch) when rematch.NewMentor.ParticipantId != pair.Mentor.ParticipantId =>
                Rematch(pair, rematch.NewMentor),
            (not (PairStatus.Completed or PairStatus.Cancelled), PairEvent.Withdrew withdrew) when IsMember(pair, withdrew.ParticipantId) => Withdraw(pair, withdrew.ParticipantId),
            (PairStatus.Cancelled, PairEvent.Rematched rematch) when pair.WithdrawnBy == pair.Mentor.ParticipantId && rematch.NewMentor.ParticipantId != pair.Mentor.ParticipantId =>
                Rematch(Resumed(pair, terms, now), rematch.NewMentor),
            (not (PairStatus.Completed or PairStatus.Cancelled), PairEvent.ResendRequested) when pair.LastEmail is { } last =>
                Accept(pair with { Resends = pair.Resends + 1 },
                    [.. last.To.Select(id => new PairCommand.SendEmail($"{pair.Id}/resend-{pair.Resends + 1}/{last.Kind}-{last.Month}/{id}", last.Kind, last.Month, [id]))],
                    $"{Words.Say(last.Kind)} sent again by an admin"),
            (PairStatus.Active or PairStatus.AtRisk, PairEvent.Nudged) when pair.AwaitsAnswer() =>
                Accept(pair with { Resends = pair.Resends + 1, LastEmail = Sent(EmailKind.CheckInReminder, pair.Month, pair.Both) },
                    [.. Emails(pair, EmailKind.CheckInReminder, pair.Month, pair.Both, suffix: $"nudge-{pair.Resends + 1}")],
                    $"check-in {pair.Month} reminder sent again by an admin (a nudge)"),
            (PairStatus.Active or PairStatus.AtRisk, PairEvent.Nudged) => new PairDecision.Rejected(pair.Status,
                pair.Month == 0 ? "No check-in has been sent to this pair yet: nothing to nudge." : $"The pair has answered check-in {pair.Month}: nothing to nudge."),
            var (status, e) => new PairDecision.Rejected(status, $"{Words.Spaced(e.GetType().Name)} does not apply to a pair that is {Words.Say(status)}."),
        };

    private static PairDecision Introduce(Pair pair, PairTerms terms, DateTimeOffset now)
    {
        var commands = new List<PairCommand>(Emails(pair, EmailKind.Introduction, 0, pair.Both, suffix: null));
        if (pair.LateIntroduction)
        {
            commands.Add(new PairCommand.AlertAdmins($"{pair.Id}/alert/late-intro", AlertKind.LateIntroduction, 0,
                "The cohort launched after the introduction deadline; the pair was introduced at once."));
        }
        var introduced = pair with { Status = PairStatus.Active, IntroducedAt = now };
        return Accept(Next(introduced, Due.CheckIn, Schedule.CheckIn(now, TimeSpan.Zero, 1, terms.Cadence, pair.Mentee.TimeZone)) with
        {
            LastEmail = Sent(EmailKind.Introduction, 0, pair.Both),
        }, commands, "introduced");
    }

    private static PairDecision SendCheckIn(Pair pair, int month, PairTerms terms, DateTimeOffset now)
    {
        var (closed, alerts) = CloseMonth(pair, month - 1);
        var sent = closed with { Month = month, LastEmail = Sent(EmailKind.CheckIn, month, pair.Both) };
        var commands = new List<PairCommand>([.. alerts, .. Emails(pair, EmailKind.CheckIn, month, pair.Both, suffix: null)]);
        return Accept(Next(sent, Due.Reminder, Schedule.NextWeekdayMorning(now, terms.ReminderAfter, pair.Mentee.TimeZone)), commands, $"check-in {month} sent");
    }

    private static PairDecision Remind(Pair pair, PairTerms terms, DateTimeOffset now)
    {
        var next = PastReminder(pair, terms);
        if (pair.Answers.ContainsKey(pair.Month))
        {
            return Accept(next, [], $"check-in {pair.Month} already answered; no reminder");
        }
        return Accept(next with { LastEmail = Sent(EmailKind.CheckInReminder, pair.Month, pair.Both) },
            [.. Emails(pair, EmailKind.CheckInReminder, pair.Month, pair.Both, suffix: null)], $"check-in {pair.Month} reminder sent");
    }

    private static PairDecision RecordPulse(Pair pair, PairEvent.PulseAnswered pulse, DateTimeOffset now) =>
        pair.Pulse.ContainsKey(pulse.ParticipantId)
            ? new PairDecision.Rejected(pair.Status, "This person has answered the pulse already; the first answer stands.")
            : Accept(pair with { Pulse = new Dictionary<string, PulseAnswer>(pair.Pulse) { [pulse.ParticipantId] = new PulseAnswer(pulse.Answers, now) } }, [],
                $"pulse answered by the {(pulse.ParticipantId == pair.Mentee.ParticipantId ? "mentee" : "mentor")}");

    private static PairDecision OpenSurvey(Pair pair, PairTerms terms, DateTimeOffset now)
    {
        var (closed, alerts) = CloseMonth(pair, pair.Month);
        var surveying = closed with { Status = PairStatus.Surveying, SurveySentAt = now, LastEmail = Sent(EmailKind.Survey, 0, pair.Both) };
        var commands = new List<PairCommand>([.. alerts, .. Emails(pair, EmailKind.Survey, 0, pair.Both, suffix: null)]);
        return Accept(Next(surveying, Due.SurveyReminder, Schedule.NextWeekdayMorning(now, terms.ReminderAfter, pair.Mentee.TimeZone)), commands, "closing survey sent");
    }

    private static PairDecision RemindSurvey(Pair pair, PairTerms terms, DateTimeOffset now)
    {
        var closeAt = pair.SurveySentAt!.Value + terms.SurveyOpenFor;
        var missing = pair.Both.Where(m => !pair.Survey.ContainsKey(m.ParticipantId)).ToList();
        List<PairCommand> commands = [.. Emails(pair, EmailKind.SurveyReminder, 0, missing, suffix: null)];
        return Accept(Next(pair, Due.SurveyClose, closeAt), commands, missing.Count == 0 ? "survey answered by both" : "survey reminder sent");
    }

    /// <summary>The pair's schedule once its month's reminder is behind it: the next check-in, or the survey after the last month.</summary>
    private static Pair PastReminder(Pair pair, PairTerms terms) =>
        Next(pair, pair.Month < terms.TermMonths ? Due.CheckIn : Due.Survey,
            Schedule.CheckIn(pair.IntroducedAt!.Value, pair.PausedFor, pair.Month + 1, terms.Cadence, pair.Mentee.TimeZone));

    /// <summary>How often one person may change one month's answer: the pair's document stays bounded whatever arrives.</summary>
    public const int MaxAnswerChanges = 3;

    /// <summary>
    /// A person's answer to a month. The same answer again changes nothing (no write, no history, no alert); a different
    /// one is recorded, at most <see cref="MaxAnswerChanges"/> times; "we need help" alerts the admins once per person and month.
    /// A first answer to the current month while its reminder is still to come also moves the schedule past the reminder
    /// (nobody is reminded of a month already answered), in the same write — the dispatcher has nothing to do until the next check-in.
    /// </summary>
    private static PairDecision RecordAnswer(Pair pair, PairEvent.CheckInAnswered answer, PairTerms terms)
    {
        var key = Pair.AnswerKey(answer.Month, answer.ParticipantId);
        var mine = pair.AnswersBy.GetValueOrDefault(key);
        if (mine?.Answer == answer.Answer)
        {
            return Accept(pair, [], $"check-in {answer.Month} answered again (“{Words.Say(answer.Answer)}”); nothing changes");
        }
        if (mine is { Changes: >= MaxAnswerChanges })
        {
            return new PairDecision.Rejected(pair.Status, $"{NameOf(pair, answer.ParticipantId)} changed the answer to check-in {answer.Month} {MaxAnswerChanges} times already.");
        }
        var alert = answer.Answer == Answer.NeedHelp && mine?.HelpAlerted != true;
        var by = new Dictionary<string, PersonAnswer>(pair.AnswersBy)
        {
            [key] = new PersonAnswer(answer.Answer, mine is null ? 0 : mine.Changes + 1, mine?.HelpAlerted == true || alert),
        };
        var monthAnswer = Strongest(pair.Answers.TryGetValue(answer.Month, out var existing) ? existing : null, answer.Answer);
        var updated = pair with { AnswersBy = by, Answers = new Dictionary<int, Answer>(pair.Answers) { [answer.Month] = monthAnswer } };
        if (monthAnswer == Answer.Met && pair.Status == PairStatus.AtRisk)
        {
            updated = updated with { Status = PairStatus.Active, MonthsWithoutMeeting = 0 };
        }
        var skipsReminder = answer.Month == pair.Month && pair.NextDue == Due.Reminder && pair.Status is (PairStatus.Active or PairStatus.AtRisk) && pair.IntroducedAt is not null;
        if (skipsReminder)
        {
            updated = PastReminder(updated, terms);
        }
        List<PairCommand> commands = alert
            ? [new PairCommand.AlertAdmins($"{pair.Id}/alert/help-{answer.Month}-{answer.ParticipantId}", AlertKind.NeedsHelp, answer.Month,
                $"{NameOf(pair, answer.ParticipantId)} answered “we need help” to the month {answer.Month} check-in.")]
            : [];
        return Accept(updated, commands,
            $"check-in {answer.Month} {(mine is null ? "answered" : "answer changed")} by {NameOf(pair, answer.ParticipantId)}: “{Words.Say(answer.Answer)}”" +
            (skipsReminder ? "; no reminder needed" : ""));
    }

    private static PairDecision RecordSurvey(Pair pair, PairEvent.SurveyAnswered answer)
    {
        if (pair.Survey.ContainsKey(answer.ParticipantId))
        {
            return Accept(pair, [], $"survey answered again by {NameOf(pair, answer.ParticipantId)}; the first answer stands");
        }
        var survey = new Dictionary<string, SurveyAnswer>(pair.Survey) { [answer.ParticipantId] = answer.Answer };
        var updated = pair with { Survey = survey };
        if (pair.Status == PairStatus.Surveying && pair.Both.All(m => survey.ContainsKey(m.ParticipantId)))
        {
            updated = updated with { Status = PairStatus.Completed, NextDue = null, NextDueAt = null };
        }
        return Accept(updated, [], $"survey answered by {NameOf(pair, answer.ParticipantId)}");
    }

    /// <summary>The schedule moves by the pause and lands again on 09:00 of a weekday in the mentee's zone.</summary>
    /// <summary>An admin ends the pair: each person is told in their own email and offered the closing survey (open as long as the term's survey).</summary>
    private static PairDecision Cancel(Pair pair, PairEvent.Cancelled cancelled, DateTimeOffset now)
    {
        var introduced = pair.IntroducedAt is not null;
        var ended = pair with
        {
            Status = PairStatus.Cancelled, NextDue = null, NextDueAt = null, CancelReason = cancelled.Reason,
            SurveySentAt = introduced ? pair.SurveySentAt ?? now : pair.SurveySentAt, ResumeTo = null, PausedAt = null,
        };
        return Accept(ended, introduced ? [.. Emails(pair, EmailKind.PairEnded, pair.Month, pair.Both, suffix: null)] : [],
            $"cancelled by an admin: {cancelled.Reason}" + (introduced ? "; both were told and offered the closing survey" : ""));
    }

    private static PairDecision ChangeSurvey(Pair pair, PairEvent.SurveyChanged change)
    {
        if (pair.Survey[change.ParticipantId] == change.Answer)
        {
            return Accept(pair, [], $"survey answer sent again unchanged by {NameOf(pair, change.ParticipantId)}; nothing changes");
        }
        var changes = pair.SurveyChanges.GetValueOrDefault(change.ParticipantId);
        if (changes >= MaxAnswerChanges)
        {
            return new PairDecision.Rejected(pair.Status, $"{NameOf(pair, change.ParticipantId)} changed the survey answer {MaxAnswerChanges} times already.");
        }
        return Accept(pair with
        {
            Survey = new Dictionary<string, SurveyAnswer>(pair.Survey) { [change.ParticipantId] = change.Answer },
            SurveyChanges = new Dictionary<string, int>(pair.SurveyChanges) { [change.ParticipantId] = changes + 1 },
        }, [], $"survey answer changed by {NameOf(pair, change.ParticipantId)}");
    }

    private static PairDecision Resume(Pair pair, PairTerms terms, DateTimeOffset now)
    {
        var paused = now - pair.PausedAt!.Value;
        var pausedFor = pair.PausedFor + paused;
        var zone = pair.Mentee.TimeZone;
        DateTimeOffset? next = pair.NextDueAt is not { } due ? null : pair.NextDue switch
        {
            Due.Introduction or Due.SurveyClose => due + paused,
            Due.CheckIn or Due.Survey when pair.IntroducedAt is { } introduced => Schedule.CheckIn(introduced, pausedFor, pair.Month + 1, terms.Cadence, zone),
            _ => Schedule.NextWeekdayMorning(due + paused, TimeSpan.Zero, zone),
        };
        var status = pair.ResumeTo ?? PairStatus.Active;
        return Accept(pair with
        {
            Status = status,
            ResumeTo = null,
            PausedAt = null,
            PausedFor = pausedFor,
            NextDueAt = next,
        }, status == PairStatus.Launched ? [] : [.. Emails(pair, EmailKind.PairResumed, pair.Month, pair.Both, suffix: $"at-{now.ToUnixTimeSeconds()}")],
            $"resumed after {paused.TotalDays:0} days; the remaining schedule moves by as much");
    }

    /// <summary>A new mentor for the mentee: both are introduced; a mentor who is replaced (rather than one who withdrew) is told.</summary>
    private static PairDecision Rematch(Pair pair, Member mentor)
    {
        var replaced = pair.WithdrawnBy != pair.Mentor.ParticipantId;
        var rematched = pair with
        {
            Mentor = mentor, Rematches = pair.Rematches + 1, MonthsWithoutMeeting = 0, Status = pair.Status == PairStatus.Paused ? PairStatus.Paused : PairStatus.Active,
            Former = [.. pair.Former, pair.Mentor],
        };
        var both = rematched.Both;
        IEnumerable<PairCommand> told = replaced ? Emails(pair, EmailKind.MentorReplaced, pair.Month, [pair.Mentor], suffix: $"rematch-{rematched.Rematches}") : [];
        return Accept(rematched with { LastEmail = Sent(EmailKind.Introduction, pair.Month, both) },
            [.. Emails(rematched, EmailKind.Introduction, pair.Month, both, suffix: $"rematch-{rematched.Rematches}"), .. told],
            $"rematched with {mentor.Name}; the remaining months continue" + (replaced ? $"; {pair.Mentor.Name} was told" : ""));
    }

    /// <summary>A mentee whose mentor withdrew, back in the term: the next check-in as the schedule had it (at once if that has passed).</summary>
    private static Pair Resumed(Pair pair, PairTerms terms, DateTimeOffset now)
    {
        var next = Schedule.CheckIn(pair.IntroducedAt ?? now, pair.PausedFor, pair.Month + 1, terms.Cadence, pair.Mentee.TimeZone);
        return pair with
        {
            Status = PairStatus.Active, WithdrawnBy = null, CancelReason = null,
            NextDue = pair.Month < terms.TermMonths ? Due.CheckIn : Due.Survey, NextDueAt = next > now ? next : now,
        };
    }

    /// <summary>The pair ends; the other person is told kindly and the admins are alerted (they can rematch a mentee whose mentor left).</summary>
    private static PairDecision Withdraw(Pair pair, string participantId)
    {
        var partner = pair.Mentee.ParticipantId == participantId ? pair.Mentor : pair.Mentee;
        var leaver = NameOf(pair, participantId);
        var cancelled = pair with { Status = PairStatus.Cancelled, NextDue = null, NextDueAt = null, CancelReason = "withdrew", WithdrawnBy = participantId };
        return Accept(cancelled,
            [
                .. Emails(pair, EmailKind.PartnerWithdrew, pair.Month, [partner], suffix: participantId),
                new PairCommand.AlertAdmins($"{pair.Id}/alert/withdrew-{participantId}", AlertKind.Withdrew, pair.Month,
                    $"{leaver} withdrew from the program; the pair has ended. " + (partner == pair.Mentee
                        ? $"Rematch {pair.Mentee.Name} with another mentor from the pair's page."
                        : $"{pair.Mentor.Name} has room for another mentee.")),
            ],
            $"{leaver} withdrew; the pair has ended and {partner.Name} was told");
    }

    /// <summary>A month ends when the next check-in (or the survey) goes out: two in a row without "we met" makes the pair at risk.</summary>
    private static (Pair Pair, List<PairCommand> Alerts) CloseMonth(Pair pair, int month)
    {
        if (month < 1)
        {
            return (pair, []);
        }
        var met = pair.Answers.TryGetValue(month, out var answer) && answer == Answer.Met;
        var without = met ? 0 : pair.MonthsWithoutMeeting + 1;
        var updated = pair with { MonthsWithoutMeeting = without };
        if (without >= 2 && pair.Status == PairStatus.Active)
        {
            var history = string.Join(", ", Enumerable.Range(1, month).Select(k => $"month {k}: {(pair.Answers.TryGetValue(k, out var a) ? Words.Say(a) : "no answer")}"));
            return (updated with { Status = PairStatus.AtRisk, EverAtRisk = true },
                [new PairCommand.AlertAdmins($"{pair.Id}/alert/at-risk-{month}", AlertKind.AtRisk, month,
                    $"{pair.Mentee.Name} and {pair.Mentor.Name} have not met for {without} months ({history}).")]);
        }
        return (updated, []);
    }

    /// <summary>Two people may answer one month differently; the month keeps the answer that matters most: met, then help, then not yet.</summary>
    private static Answer Strongest(Answer? existing, Answer incoming) =>
        existing is { } current && Rank(current) >= Rank(incoming) ? current : incoming;

    private static int Rank(Answer answer) => answer switch { Answer.Met => 3, Answer.NeedHelp => 2, _ => 1 };

    private static bool IsMember(Pair pair, string participantId) =>
        pair.Mentee.ParticipantId == participantId || pair.Mentor.ParticipantId == participantId;

    private static string NameOf(Pair pair, string participantId) =>
        pair.Mentee.ParticipantId == participantId ? pair.Mentee.Name : pair.Mentor.Name;

    private static Pair Next(Pair pair, Due due, DateTimeOffset at) => pair with { NextDue = due, NextDueAt = at };

    private static SentEmail Sent(EmailKind kind, int month, IReadOnlyList<Member> to) => new(kind, month, [.. to.Select(m => m.ParticipantId)]);

    /// <summary>One email per person, each addressed to that person alone and carrying only their own links.</summary>
    private static IEnumerable<PairCommand> Emails(Pair pair, EmailKind kind, int month, IReadOnlyList<Member> to, string? suffix) =>
        to.Select(m => new PairCommand.SendEmail($"{pair.Id}/{Words.Of(kind)}-{month}{(suffix is null ? "" : "/" + suffix)}/{m.ParticipantId}", kind, month, [m.ParticipantId]));

    private static PairDecision.Accepted Accept(Pair pair, IReadOnlyList<PairCommand> commands, string summary) => new(pair, commands, summary);
}
