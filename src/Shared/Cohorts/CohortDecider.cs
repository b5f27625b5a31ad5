using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Cohorts;

/// <summary>What happened to a cohort: an admin's request, or what its own schedule says is due. Each carries the facts it is decided on.</summary>
public abstract record CohortEvent
{
    private CohortEvent() { }

    public sealed record IntakeOpened : CohortEvent;

    public sealed record IntakeClosed : CohortEvent;

    /// <summary>An admin changed the cohort's settings (already checked field by field); allowed until intake closes.</summary>
    public sealed record Edited(Cohort Changed) : CohortEvent;

    /// <summary>An admin set the cohort's own intake questions (already checked).</summary>
    public sealed record QuestionsChanged(IReadOnlyList<Intake.CustomQuestion> Questions) : CohortEvent;

    /// <summary>
    /// An admin paired a mentee again while the cohort runs (the pair is written first): the cohort's own write, so that a close
    /// decided on a listing without that pair fails on the cohort's ETag and is decided again with it — or, when the close won,
    /// this is refused and the pair is withdrawn.
    /// </summary>
    public sealed record PairAdded(string PairId) : CohortEvent;

    /// <summary>An admin set (or, with null, removed) the mid-term pulse (already checked against the term).</summary>
    public sealed record PulseChanged(Pairing.PulseCheck? Pulse) : CohortEvent;

    /// <summary>An admin set (or, with null, removed) the cohort's accent colour (already checked); at any time, as it changes no one's data.</summary>
    public sealed record BrandingChanged(string? AccentColor) : CohortEvent;

    /// <summary>An admin set (or, with null, removed) the cohort's logo (already checked, its bytes already stored); at any time.</summary>
    public sealed record LogoChanged(CohortLogo? Logo) : CohortEvent;

    /// <summary>An admin set the closing survey's own questions (already checked; empty for none).</summary>
    public sealed record SurveyQuestionsChanged(IReadOnlyList<Intake.CustomQuestion> Questions) : CohortEvent;

    /// <summary>An admin asks for a proposal over the cohort's participants (as stored now).</summary>
    public sealed record MatchingRequested(IReadOnlyList<Participant> Participants) : CohortEvent;

    /// <summary>An admin pins or forbids a pair for the next run; the participants are null when no such id exists.</summary>
    public sealed record PairSteered(Steer Steer, Participant? Mentee, Participant? Mentor) : CohortEvent;

    public sealed record ParticipantRemoved(Participant Participant) : CohortEvent;

    /// <summary>An admin takes back a pin or a forbid of this mentee and mentor.</summary>
    public sealed record SteeringCleared(string MenteeId, string MentorId) : CohortEvent;

    /// <summary>An admin takes back the removal of a participant: they are in the pool again.</summary>
    public sealed record ParticipantRestored(Participant Participant) : CohortEvent;

    /// <summary>An admin approves proposal <paramref name="Version"/> (null: the latest); <paramref name="StoredLatest"/> is the newest proposal found in the store.</summary>
    public sealed record MatchingApproved(int? Version, int? StoredLatest) : CohortEvent;

    /// <summary>Launch the approved pairs: asked by an admin, or due on the cohort's own schedule (also to finish a launch a crash interrupted).</summary>
    public sealed record LaunchRequested(MatchingResult Approved, IReadOnlyList<Participant> Participants) : CohortEvent;

    /// <summary>Every pair the launch named exists.</summary>
    public sealed record PairsStarted : CohortEvent;

    /// <summary>Where the cohort's pairs stand now.</summary>
    public sealed record PairsProgressed(IReadOnlyList<PairStatus> Statuses) : CohortEvent;

    public sealed record IntakeCloseDue(IReadOnlyList<Participant> Participants) : CohortEvent;

    public sealed record ApprovalReminderDue : CohortEvent;

    public sealed record DeadlineDue : CohortEvent;

    public sealed record DigestDue(DigestFigures Figures) : CohortEvent;

    /// <summary>The retention period after the close has passed.</summary>
    public sealed record ErasureDue : CohortEvent;

    /// <summary>Every participant's personal data has been erased.</summary>
    public sealed record PersonalDataErased : CohortEvent;

    /// <summary>A pair's transition threw (bad data, a store that refuses the document): the dispatcher goes on with the others.</summary>
    public sealed record PairFailed(string PairId, string Error) : CohortEvent;

    /// <summary>A pair that had been failing made its transition.</summary>
    public sealed record PairRecovered(string PairId) : CohortEvent;

    /// <summary>An email keeps failing to send (a bad address, a template that throws).</summary>
    public sealed record MessageFailing(string Key, int Attempts, string Error) : CohortEvent;
}

public enum Steer { Pin, Forbid }

/// <summary>The emails about a cohort (not about one pair) that go to its admins.</summary>
public enum CohortNotice { ProposalReady, ApprovalReminder, DeadlinePassed, PairNotStarted, WeeklyDigest, OutcomeReport, NeedsAttention }

public abstract record CohortCommand
{
    private CohortCommand() { }

    public sealed record StoreProposal(int Version, MatchingSteering Steering, MatchingResult Result) : CohortCommand;

    public sealed record MarkRemoved(string ParticipantId) : CohortCommand;

    public sealed record MarkRestored(string ParticipantId) : CohortCommand;

    /// <summary>Create each pair's workflow (idempotent: the ids are derived from the people).</summary>
    public sealed record StartPairs(IReadOnlyList<Pair> Pairs) : CohortCommand;

    /// <summary>Erase the personal data of every participant of the cohort (counts remain).</summary>
    public sealed record ErasePersonalData : CohortCommand;

    /// <summary>One email to the cohort's admins; <paramref name="Key"/> is deterministic.</summary>
    public sealed record NotifyAdmins(string Key, CohortNotice Notice, string Detail) : CohortCommand;
}

public abstract record CohortDecision
{
    private CohortDecision() { }

    public sealed record Accepted(Cohort Cohort, IReadOnlyList<CohortCommand> Commands, string Summary) : CohortDecision;

    /// <summary>The event does not apply in the cohort's current state (an HTTP 409).</summary>
    public sealed record Rejected(CohortStatus Status, string Reason) : CohortDecision;

    /// <summary>The request names something that is not right, field by field (an HTTP 400).</summary>
    public sealed record Invalid(ValidationErrors Errors) : CohortDecision;
}

/// <summary>
/// The cohort's workflow as one state × event table, like <see cref="PairDecider"/>: intake, matching and its steering,
/// approval, launch, the term and the close, and the cohort's own timers (intake closing, approval reminders, the
/// introduction deadline, an automatic launch, the weekly digest). Pure: facts come in with the event.
/// </summary>
public static class CohortDecider
{
    public static readonly TimeSpan DigestEvery = TimeSpan.FromDays(7);

    /// <summary>After this many failures in a row a pair, or an email, needs the admins' attention (one notice).</summary>
    public const int FailuresBeforeAttention = 3;

    /// <summary>Approval reminders go out this long before the introduction deadline.</summary>
    public static readonly IReadOnlyList<int> ReminderDaysBefore = [7, 2];

    public static CohortDecision Decide(Cohort cohort, CohortEvent @event, DateTimeOffset now) =>
        (cohort.Status, @event) switch
        {
            (CohortStatus.Draft or CohortStatus.IntakeClosed, CohortEvent.IntakeOpened) => OpenIntake(cohort, now),
            (CohortStatus.Draft or CohortStatus.IntakeOpen, CohortEvent.Edited edited) => Edit(cohort, edited.Changed, now),
            (_, CohortEvent.Edited) => Reject(cohort.Status, "A cohort's settings can be changed until its intake closes."),
            (CohortStatus.Draft or CohortStatus.IntakeOpen, CohortEvent.QuestionsChanged changed) =>
                Accept(cohort with { Questions = changed.Questions, UpdatedAt = now }, [], "intake questions changed"),
            (_, CohortEvent.QuestionsChanged) => Reject(cohort.Status, "The intake questions can be changed until intake closes."),
            (CohortStatus.Draft or CohortStatus.IntakeOpen or CohortStatus.IntakeClosed or CohortStatus.Matched, CohortEvent.PulseChanged changed) =>
                Accept(cohort with { Pulse = changed.Pulse, UpdatedAt = now }, [], changed.Pulse is null ? "pulse removed" : $"pulse set for month {changed.Pulse.Month}"),
            (CohortStatus.Launched or CohortStatus.Running, CohortEvent.PairAdded added) => Accept(cohort with { UpdatedAt = now }, [], $"pair {added.PairId} added by an admin"),
            (_, CohortEvent.PairAdded) => Reject(cohort.Status, "A pair can be added while the cohort runs; this one has closed (every pair had ended)."),
            (CohortStatus.Launched or CohortStatus.Running, CohortEvent.PulseChanged changed) => ChangePulseMidTerm(cohort, changed.Pulse, now),
            (_, CohortEvent.PulseChanged) => Reject(cohort.Status, "The pulse can be set while the cohort runs, not once it is closing or closed."),
            (_, CohortEvent.BrandingChanged branding) =>
                Accept(cohort with { AccentColor = branding.AccentColor, UpdatedAt = now }, [], branding.AccentColor is null ? "accent colour removed" : $"accent colour {branding.AccentColor}"),
            (_, CohortEvent.LogoChanged changed) =>
                Accept(cohort with { Logo = changed.Logo, UpdatedAt = now }, [], changed.Logo is { } logo ? $"logo {logo.Width}×{logo.Height} {logo.ContentType}" : "logo removed"),
            (CohortStatus.Draft or CohortStatus.IntakeOpen or CohortStatus.IntakeClosed or CohortStatus.Matched, CohortEvent.SurveyQuestionsChanged changed) =>
                Accept(cohort with { SurveyQuestions = changed.Questions, UpdatedAt = now }, [], $"survey questions changed ({changed.Questions.Count})"),
            (_, CohortEvent.SurveyQuestionsChanged) => Reject(cohort.Status,
                "The survey's questions can be changed until the cohort launches, so that every pair is asked the same (a pair ended early is surveyed at once)."),
            (CohortStatus.IntakeOpen, CohortEvent.IntakeClosed) =>
                Accept(Awaiting(cohort with { Status = CohortStatus.IntakeClosed, UpdatedAt = now }, now), [], "intake closed by an admin"),
            (CohortStatus.IntakeOpen, CohortEvent.IntakeCloseDue due) => CloseIntakeAndPropose(cohort, due.Participants, now),
            (CohortStatus.IntakeOpen or CohortStatus.IntakeClosed, CohortEvent.MatchingRequested run) => Propose(cohort, run.Participants, now, "by an admin"),
            (CohortStatus.IntakeOpen or CohortStatus.IntakeClosed, CohortEvent.PairSteered steer) => SteerPair(cohort, steer, now),
            (CohortStatus.IntakeOpen or CohortStatus.IntakeClosed, CohortEvent.ParticipantRemoved removed) => Remove(cohort, removed.Participant, now),
            (CohortStatus.IntakeOpen or CohortStatus.IntakeClosed, CohortEvent.SteeringCleared cleared) => ClearSteering(cohort, cleared, now),
            (CohortStatus.IntakeOpen or CohortStatus.IntakeClosed, CohortEvent.ParticipantRestored restored) => restored.Participant.Status == ParticipantStatus.Removed
                ? Accept(cohort with { UpdatedAt = now }, [new CohortCommand.MarkRestored(restored.Participant.Id)], $"restored {restored.Participant.Id}")
                : Reject(cohort.Status, "Only a participant an admin removed can be restored."),
            (CohortStatus.IntakeClosed, CohortEvent.MatchingApproved approve) => Approve(cohort, approve, now),
            (CohortStatus.IntakeClosed, CohortEvent.ApprovalReminderDue) => RemindToApprove(cohort, now),
            (CohortStatus.IntakeClosed, CohortEvent.DeadlineDue) => Accept(Unscheduled(cohort),
                [new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/deadline", CohortNotice.DeadlinePassed,
                    $"The introduction deadline ({Day(cohort.IntroductionDeadline, cohort)}) has passed and the proposal is not approved. A launch now introduces every pair at once, flagged late; pairs have less time to plan a meeting at {cohort.NationalMeeting.Name}.")],
                "introduction deadline passed unapproved"),
            (CohortStatus.Matched, CohortEvent.LaunchRequested launch) => Launch(cohort, launch, now),
            (CohortStatus.Launched, CohortEvent.LaunchRequested launch) =>
                Accept(cohort, [new CohortCommand.StartPairs(PairsToStart(cohort, launch).Started)], "launch continued: pairs not yet started are started"),
            (CohortStatus.Running or CohortStatus.Closing or CohortStatus.Closed, CohortEvent.LaunchRequested) => Accept(cohort, [], "already launched"),
            (CohortStatus.Launched, CohortEvent.PairsStarted) =>
                Accept(cohort with
                {
                    Status = CohortStatus.Running, UpdatedAt = now, NextDue = CohortDue.Digest, NextDueAt = now + DigestEvery, LastDigest = DigestFigures.Quiet.Fingerprint,
                }, [], "every pair started"),
            (CohortStatus.Running or CohortStatus.Closing, CohortEvent.PairsProgressed progress) => Progress(cohort, progress.Statuses, now),
            (CohortStatus.Running or CohortStatus.Closing, CohortEvent.DigestDue digest) => Digest(cohort, digest.Figures, now),
            (_, CohortEvent.PairFailed failed) => PairFailedAgain(cohort, failed, now),
            (_, CohortEvent.PairRecovered recovered) => cohort.FailingPairs.ContainsKey(recovered.PairId)
                ? Accept(cohort with { FailingPairs = cohort.FailingPairs.Where(f => f.Key != recovered.PairId).ToDictionary() }, [], $"pair {recovered.PairId} recovered")
                : Accept(cohort, [], "nothing was failing"),
            (_, CohortEvent.MessageFailing failing) => Accept(cohort,
                failing.Attempts == FailuresBeforeAttention
                    ? [new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/attention-{failing.Key}", CohortNotice.NeedsAttention,
                        $"An email ({failing.Key}) failed to send {failing.Attempts} times ({failing.Error}); it is retried with back-off. Check the recipient's address and the cohort's wording.")]
                    : [], $"email {failing.Key} failing"),
            (CohortStatus.Closed, CohortEvent.ErasureDue) => Accept(Unscheduled(cohort), [new CohortCommand.ErasePersonalData()], "retention period over: personal data erased"),
            (_, CohortEvent.PersonalDataErased) => Accept(cohort with { PersonalDataErased = true, UpdatedAt = now }, [], "personal data erased"),
            (var status, CohortEvent.IntakeCloseDue or CohortEvent.ApprovalReminderDue or CohortEvent.DeadlineDue or CohortEvent.DigestDue or CohortEvent.ErasureDue) =>
                Accept(Unscheduled(cohort), [], $"nothing of that is due while the cohort is {Words.Say(status)}"),
            (var status, CohortEvent.PairsProgressed or CohortEvent.PairsStarted) => Accept(cohort, [], $"no change while the cohort is {Words.Say(status)}"),
            (var status, CohortEvent.LaunchRequested) =>
                Reject(status, $"A cohort is launched once its matching is approved; the cohort is {Words.Say(status)}."),
            (var status, CohortEvent.MatchingApproved) =>
                Reject(status, $"Matching can be approved only after intake closes and before launch; the cohort is {Words.Say(status)}."),
            (var status, CohortEvent.MatchingRequested or CohortEvent.PairSteered or CohortEvent.ParticipantRemoved or CohortEvent.SteeringCleared or CohortEvent.ParticipantRestored) =>
                Reject(status, $"Matching can be run and steered only while intake is open or closed; the cohort is {Words.Say(status)}."),
            (var status, CohortEvent.IntakeOpened) =>
                Reject(status, $"Intake can be opened only from draft or intake closed; the cohort is {Words.Say(status)}."),
            (var status, CohortEvent.IntakeClosed) =>
                Reject(status, $"Intake can be closed only while it is open; the cohort is {Words.Say(status)}."),
            var (status, e) => Reject(status, $"{e.GetType().Name} does not apply to a cohort that is {Words.Say(status)}."),
        };

    /// <summary>The settings from the form, the state kept; an open intake is scheduled to close on its (possibly new) date.</summary>
    private static CohortDecision Edit(Cohort cohort, Cohort changed, DateTimeOffset now)
    {
        var edited = cohort with
        {
            Name = changed.Name, Society = changed.Society, NationalMeeting = changed.NationalMeeting, IntakeClosesOn = changed.IntakeClosesOn,
            ProgramStartsOn = changed.ProgramStartsOn, TermMonths = changed.TermMonths, IntroLeadDays = changed.IntroLeadDays,
            CheckInCadence = changed.CheckInCadence, Eligibility = changed.Eligibility, Geography = changed.Geography,
            MentorsPerMentee = changed.MentorsPerMentee, Weights = changed.Weights, AdminEmails = changed.AdminEmails,
            LaunchMode = changed.LaunchMode, ContactEmail = changed.ContactEmail, UpdatedAt = now,
        };
        if (cohort.Status == CohortStatus.IntakeOpen)
        {
            edited = edited.IntakeClosesAt > now ? edited with { NextDue = CohortDue.IntakeClose, NextDueAt = edited.IntakeClosesAt } : Unscheduled(edited);
        }
        return Accept(edited, [], "settings changed");
    }

    private static CohortDecision OpenIntake(Cohort cohort, DateTimeOffset now)
    {
        var opened = cohort with { Status = CohortStatus.IntakeOpen, UpdatedAt = now };
        // Re-opened after its date (to let latecomers in), intake stays open until an admin closes it.
        return Accept(cohort.IntakeClosesAt > now
            ? opened with { NextDue = CohortDue.IntakeClose, NextDueAt = cohort.IntakeClosesAt }
            : Unscheduled(opened), [], "intake opened");
    }

    private static CohortDecision CloseIntakeAndPropose(Cohort cohort, IReadOnlyList<Participant> participants, DateTimeOffset now)
    {
        var closed = Awaiting(cohort with { Status = CohortStatus.IntakeClosed, UpdatedAt = now }, now);
        var proposed = (CohortDecision.Accepted)Propose(closed, participants, now, "when intake closed");
        var version = proposed.Cohort.LatestProposal!.Value;
        var quality = ((CohortCommand.StoreProposal)proposed.Commands[0]).Result.Quality;
        return proposed with
        {
            Commands = [.. proposed.Commands, new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/proposal-{version}", CohortNotice.ProposalReady,
                $"Intake closed on {cohort.IntakeClosesOn:yyyy-MM-dd} with {quality.Mentees} mentees and {quality.Mentors} mentors. Proposal {version}: " +
                $"{quality.MatchedMentees} of {quality.Mentees} mentees matched ({quality.MatchedShare:P0}), {quality.Pairs} pairs, mean score {quality.MeanScore:0.0}, " +
                $"lowest {quality.MinScore:0.0}, first aspect covered for {quality.FirstAspectCoveredShare:P0}. Review, steer and approve it before " +
                $"{Day(cohort.IntroductionDeadline, cohort)} so that pairs are introduced in time for {cohort.NationalMeeting.Name}.")],
            Summary = $"intake closed on its date; {proposed.Summary}",
        };
    }

    private static CohortDecision Propose(Cohort cohort, IReadOnlyList<Participant> participants, DateTimeOffset now, string by)
    {
        var version = (cohort.LatestProposal ?? 0) + 1;
        var result = Matcher.Match(cohort, participants, cohort.Steering);
        return Accept(cohort with { LatestProposal = version, UpdatedAt = now },
            [new CohortCommand.StoreProposal(version, cohort.Steering, result)], $"proposal {version} computed {by}");
    }

    private static CohortDecision SteerPair(Cohort cohort, CohortEvent.PairSteered steer, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        CheckRole(errors, "menteeId", steer.Mentee, Role.Mentee);
        CheckRole(errors, "mentorId", steer.Mentor, Role.Mentor);
        if (!errors.IsEmpty)
        {
            return new CohortDecision.Invalid(errors);
        }
        var key = new PairKey(steer.Mentee!.Id, steer.Mentor!.Id);
        var pins = cohort.Steering.Pins.Where(p => p != key);
        var forbids = cohort.Steering.Forbids.Where(p => p != key);
        var steering = steer.Steer == Steer.Pin
            ? new MatchingSteering([.. pins, key], [.. forbids])
            : new MatchingSteering([.. pins], [.. forbids, key]);
        return Accept(cohort with { Steering = steering, UpdatedAt = now }, [],
            $"{(steer.Steer == Steer.Pin ? "pinned" : "forbade")} {steer.Mentee.FullName} & {steer.Mentor.FullName}");
    }

    private static CohortDecision ClearSteering(Cohort cohort, CohortEvent.SteeringCleared cleared, DateTimeOffset now)
    {
        var key = new PairKey(cleared.MenteeId, cleared.MentorId);
        if (!cohort.Steering.Pins.Contains(key) && !cohort.Steering.Forbids.Contains(key))
        {
            return Accept(cohort, [], "nothing pinned or forbidden for this pair");
        }
        return Accept(cohort with { Steering = new MatchingSteering([.. cohort.Steering.Pins.Where(k => k != key)], [.. cohort.Steering.Forbids.Where(k => k != key)]), UpdatedAt = now },
            [], $"cleared the pin or forbid of {key.MenteeId} & {key.MentorId}");
    }

    private static void CheckRole(ValidationErrors errors, string field, Participant? participant, Role role)
    {
        if (participant is null || participant.Status != ParticipantStatus.Registered)
        {
            errors.Add(field, "No registered participant with this id in this cohort.");
        }
        else if (participant.Role != role)
        {
            errors.Add(field, $"This participant is not a {Words.Of(role)}.");
        }
    }

    private static CohortDecision Remove(Cohort cohort, Participant participant, DateTimeOffset now)
    {
        if (participant.Status == ParticipantStatus.Removed)
        {
            return Accept(cohort, [], "already removed");
        }
        var keep = (PairKey k) => k.MenteeId != participant.Id && k.MentorId != participant.Id;
        var steering = new MatchingSteering([.. cohort.Steering.Pins.Where(keep)], [.. cohort.Steering.Forbids.Where(keep)]);
        return Accept(cohort with { Steering = steering, UpdatedAt = now }, [new CohortCommand.MarkRemoved(participant.Id)], $"removed {participant.FullName}");
    }

    private static CohortDecision Approve(Cohort cohort, CohortEvent.MatchingApproved approve, DateTimeOffset now)
    {
        if (cohort.LatestProposal is not { } latest || approve.StoredLatest != latest)
        {
            return Reject(cohort.Status, "There is no proposal to approve: compute one first.");
        }
        if ((approve.Version ?? latest) != latest)
        {
            return Reject(cohort.Status, $"Proposal {approve.Version} is not the latest ({latest}); review the latest before approving.");
        }
        var approved = cohort with { Status = CohortStatus.Matched, ApprovedProposal = latest, UpdatedAt = now };
        return Accept(cohort.LaunchMode switch
        {
            LaunchMode.OnApproval => approved with { NextDue = CohortDue.Launch, NextDueAt = now },
            LaunchMode.OnProgramStart => approved with { NextDue = CohortDue.Launch, NextDueAt = cohort.ProgramStartsAt },
            _ => Unscheduled(approved),
        }, [], $"proposal {latest} approved");
    }

    private static CohortDecision RemindToApprove(Cohort cohort, DateTimeOffset now)
    {
        var days = (int)Math.Ceiling((cohort.IntroductionDeadline - now).TotalDays);
        return Accept(Awaiting(cohort, now),
            [new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/reminder-{days}", CohortNotice.ApprovalReminder,
                $"The matching proposal is not approved yet. Pairs should be introduced by {Day(cohort.IntroductionDeadline, cohort)} ({days} day(s) from now) " +
                $"so that they can meet at {cohort.NationalMeeting.Name}. Review the latest proposal{(cohort.LatestProposal is { } v ? $" (version {v})" : "")} and approve it.")],
            $"reminded the admins {days} day(s) before the introduction deadline");
    }

    private static CohortDecision Launch(Cohort cohort, CohortEvent.LaunchRequested launch, DateTimeOffset now)
    {
        var launched = cohort with
        {
            Status = CohortStatus.Launched, UpdatedAt = now, LaunchedAt = now, LateIntroduction = now > cohort.IntroductionDeadline,
            NextDue = CohortDue.StartPairs, NextDueAt = now,
        };
        var (started, missing) = PairsToStart(launched, launch);
        var notices = missing.Select(m => (CohortCommand)new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/not-started-{m.MenteeId}-{m.MentorId}",
            CohortNotice.PairNotStarted,
            $"The approved pair {m.MenteeName} & {m.MentorName} was not started: {Gone(m, launch.Participants)} is no longer registered. Rematch the other person by hand if needed."));
        return Accept(launched, [new CohortCommand.StartPairs(started), .. notices],
            $"launched {started.Count} pair(s){(missing.Count > 0 ? $", {missing.Count} not started" : "")}{(launched.LateIntroduction ? "; introductions late" : "")}");
    }

    /// <summary>The approved pairs whose two people are still registered, started at the launch's instant; and the ones that are not.</summary>
    private static (IReadOnlyList<Pair> Started, IReadOnlyList<ProposedPair> Missing) PairsToStart(Cohort cohort, CohortEvent.LaunchRequested launch)
    {
        var registered = launch.Participants.Where(p => p.Status == ParticipantStatus.Registered).ToDictionary(p => p.Id);
        var started = new List<Pair>();
        var missing = new List<ProposedPair>();
        foreach (var proposed in launch.Approved.Pairs)
        {
            if (registered.TryGetValue(proposed.MenteeId, out var mentee) && registered.TryGetValue(proposed.MentorId, out var mentor))
            {
                started.Add(Pair.Start(Pair.IdFor(mentee.Id, mentor.Id), cohort.Id, Member.Of(mentee), Member.Of(mentor), cohort.LaunchedAt!.Value, cohort.LateIntroduction));
            }
            else
            {
                missing.Add(proposed);
            }
        }
        return (started, missing);
    }

    private static string Gone(ProposedPair pair, IReadOnlyList<Participant> participants) =>
        participants.Any(p => p.Id == pair.MenteeId && p.Status == ParticipantStatus.Registered) ? $"{pair.MentorName} (mentor)" : $"{pair.MenteeName} (mentee)";

    private static CohortDecision Progress(Cohort cohort, IReadOnlyList<PairStatus> statuses, DateTimeOffset now)
    {
        var ended = statuses.Count > 0 && statuses.All(s => s is PairStatus.Completed or PairStatus.Cancelled);
        if (ended)
        {
            return Accept(cohort with { Status = CohortStatus.Closed, UpdatedAt = now, NextDue = CohortDue.Erasure, NextDueAt = now.AddDays(cohort.RetainPersonalDataDays) },
                [new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/report", CohortNotice.OutcomeReport, "Every pair has ended; the outcome report is attached.")],
                "every pair ended: cohort closed, report sent to the admins");
        }
        var closing = statuses.Count > 0 && statuses.All(s => s is PairStatus.Completed or PairStatus.Cancelled or PairStatus.Surveying);
        return cohort.Status == CohortStatus.Running && closing
            ? Accept(cohort with { Status = CohortStatus.Closing, UpdatedAt = now }, [], "every pair is in its closing survey or has ended")
            : Accept(cohort, [], "pairs still under way");
    }

    private static CohortDecision PairFailedAgain(Cohort cohort, CohortEvent.PairFailed failed, DateTimeOffset now)
    {
        var failures = (cohort.FailingPairs.GetValueOrDefault(failed.PairId)?.Failures ?? 0) + 1;
        var retryAt = now + TimeSpan.FromMinutes(Math.Min(24 * 60, Math.Pow(2, failures)));
        var failing = new Dictionary<string, PairFailure>(cohort.FailingPairs) { [failed.PairId] = new PairFailure(failures, failed.Error, retryAt) };
        return Accept(cohort with { FailingPairs = failing },
            failures == FailuresBeforeAttention
                ? [new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/attention-{failed.PairId}", CohortNotice.NeedsAttention,
                    $"Pair {failed.PairId} could not be advanced {failures} times in a row ({failed.Error}); every other pair carries on. It is tried again with back-off; look at its data or pause it.")]
                : [],
            $"pair {failed.PairId} failed ({failures} in a row)");
    }

    private static CohortDecision Digest(Cohort cohort, DigestFigures figures, DateTimeOffset now)
    {
        var next = cohort with { NextDue = CohortDue.Digest, NextDueAt = now + DigestEvery };
        return figures.Fingerprint == cohort.LastDigest
            ? Accept(next, [], "weekly digest skipped: nothing that needs the admins changed")
            : Accept(next with { LastDigest = figures.Fingerprint },
                [new CohortCommand.NotifyAdmins($"{cohort.Id}/notice/digest-{now:yyyy-MM-dd}", CohortNotice.WeeklyDigest, figures.Describe())], "weekly digest sent");
    }

    /// <summary>While a proposal waits for approval: the next reminder, or the deadline itself; nothing once it has passed.</summary>
    private static Cohort Awaiting(Cohort cohort, DateTimeOffset now)
    {
        var deadline = cohort.IntroductionDeadline;
        var next = ReminderDaysBefore.Select(d => (Due: CohortDue.ApprovalReminder, At: deadline.AddDays(-d)))
            .Append((Due: CohortDue.DeadlinePassed, At: deadline))
            .Where(t => t.At > now)
            .OrderBy(t => t.At)
            .Select(t => ((CohortDue, DateTimeOffset)?)t)
            .FirstOrDefault();
        return next is { } n ? cohort with { NextDue = n.Item1, NextDueAt = n.Item2 } : Unscheduled(cohort);
    }

    private static Cohort Unscheduled(Cohort cohort) => cohort with { NextDue = null, NextDueAt = null };

    private static string Day(DateTimeOffset instant, Cohort cohort) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(cohort.NationalMeeting.TimeZone)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// During the term the pulse changes only where no pair can have been asked: the pulse it replaces (if any) and the one
    /// it sets (if any) are both for months whose check-ins have not gone out, so every pair is asked the same, once.
    /// </summary>
    private static CohortDecision ChangePulseMidTerm(Cohort cohort, Pairing.PulseCheck? pulse, DateTimeOffset now)
    {
        if (cohort.Pulse is { } old && Pairing.PulseRules.MayHaveBeenAsked(cohort, old.Month, now))
        {
            return Reject(cohort.Status, $"The pulse of month {old.Month} may have been asked already: it stays as it is, so that every pair is asked the same.");
        }
        if (pulse is not null && Pairing.PulseRules.MayHaveBeenAsked(cohort, pulse.Month, now))
        {
            return Reject(cohort.Status, $"Month {pulse.Month}'s check-ins may have gone out already: choose a later month, so that every pair is asked the same.");
        }
        return Accept(cohort with { Pulse = pulse, UpdatedAt = now }, [], pulse is null ? "pulse removed" : $"pulse set for month {pulse.Month} during the term");
    }

    private static CohortDecision.Accepted Accept(Cohort cohort, IReadOnlyList<CohortCommand> commands, string summary) => new(cohort, commands, summary);

    private static CohortDecision.Rejected Reject(CohortStatus status, string reason) => new(status, reason);
}

/// <summary>A running cohort's week in figures, for the admins' digest.</summary>
public sealed record DigestFigures(int Pairs, int AtRisk, int HelpRequested, int AnsweredThisMonth, int AskedThisMonth, int EmailsWaiting)
{
    public static DigestFigures Of(IReadOnlyList<Pair> pairs, int emailsWaiting)
    {
        var running = pairs.Where(p => !p.IsTerminal).ToList();
        var asked = running.Where(p => p.Month >= 1).ToList();
        return new DigestFigures(running.Count, running.Count(p => p.Status == PairStatus.AtRisk),
            asked.Count(p => p.HelpRequestedMonths().Contains(p.Month)),
            asked.Count(p => p.Answers.ContainsKey(p.Month)), asked.Count, emailsWaiting);
    }

    /// <summary>A term where nobody is at risk, nobody asked for help and nobody answered yet: what a digest is compared with at first.</summary>
    public static DigestFigures Quiet { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>What needs the admins' attention; a week where it is unchanged sends no digest (emails waiting and check-ins asked are not news).</summary>
    public string Fingerprint => $"{AtRisk}/{HelpRequested}/{AnsweredThisMonth}";

    public string Describe() =>
        $"{Pairs} pair(s) under way; {AtRisk} at risk; {HelpRequested} asked for help this month; " +
        $"{AnsweredThisMonth} of {AskedThisMonth} answered this month's check-in; {EmailsWaiting} email(s) waiting to be sent.";
}
