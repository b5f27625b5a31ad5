namespace MentorFlow.Shared.Intake;

public abstract record ParticipantEvent
{
    private ParticipantEvent() { }

    /// <summary>The person pressed the button behind the link in their first email.</summary>
    public sealed record Confirmed : ParticipantEvent;

    /// <summary>Someone submitted the intake form again with this person's address: nothing changes, the owner is told.</summary>
    public sealed record RegisteredAgain : ParticipantEvent;

    /// <summary>The person changed their answers on the manage page (their address stays: it is who they are here).</summary>
    public sealed record Edited(Participant Changed, bool IntakeOpen) : ParticipantEvent;

    /// <summary>An admin corrected the registration (the same rules as the form; the address stays, as for the person's own change).</summary>
    public sealed record ChangedByAdmin(Participant Changed) : ParticipantEvent;

    /// <summary>The person withdrew from the manage page.</summary>
    public sealed record Withdrew : ParticipantEvent;
}

/// <summary>The emails a participant's own decisions owe them.</summary>
public enum ParticipantMail { Confirm, Receipt, AlreadyRegistered }

public abstract record ParticipantDecision
{
    private ParticipantDecision() { }

    /// <summary><paramref name="Mail"/>: the email to send, with its deterministic key; none when nothing is owed.</summary>
    public sealed record Accepted(Participant Participant, ParticipantMail? Mail, string? Key, string Summary) : ParticipantDecision;

    public sealed record Rejected(ParticipantStatus Status, string Reason) : ParticipantDecision;
}

/// <summary>A participant's own lifecycle: unconfirmed → registered (confirmed) → withdrawn; as one state × event table.</summary>
public static class ParticipantDecider
{
    /// <summary>How long the confirmation link works; an unconfirmed registration is purged after it.</summary>
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromDays(7);

    public static string KeyFor(Participant p, ParticipantMail mail, DateTimeOffset now) => mail switch
    {
        ParticipantMail.Confirm => $"confirm/{p.CohortId}/{p.Id}",
        ParticipantMail.Receipt => $"receipt/{p.CohortId}/{p.Id}",
        // ParticipantMail.AlreadyRegistered: at most one "you are already registered" a day, however often someone types the address in.
        _ => $"already/{p.CohortId}/{p.Id}/{now:yyyy-MM-dd}",
    };

    public static ParticipantDecision Decide(Participant participant, ParticipantEvent @event, DateTimeOffset now) =>
        (participant.Status, @event) switch
        {
            (ParticipantStatus.Unconfirmed, ParticipantEvent.Confirmed) =>
                Accept(participant with { Status = ParticipantStatus.Registered }, ParticipantMail.Receipt, now, "confirmed"),
            (ParticipantStatus.Registered, ParticipantEvent.Confirmed) => Accept(participant, null, now, "already confirmed"),
            (ParticipantStatus.Unconfirmed or ParticipantStatus.Registered, ParticipantEvent.RegisteredAgain) =>
                Accept(participant, ParticipantMail.AlreadyRegistered, now, "registered again: the owner of the address is told"),
            (ParticipantStatus.Removed or ParticipantStatus.Withdrawn, ParticipantEvent.RegisteredAgain) => Accept(participant, null, now, "no longer taking part"),
            (ParticipantStatus.Unconfirmed or ParticipantStatus.Registered or ParticipantStatus.Removed, ParticipantEvent.Withdrew) =>
                Accept(participant with { Status = ParticipantStatus.Withdrawn }, null, now, "withdrew: no further email"),
            (ParticipantStatus.Withdrawn, ParticipantEvent.Withdrew) => Accept(participant, null, now, "already withdrawn"),
            (ParticipantStatus.Unconfirmed or ParticipantStatus.Registered, ParticipantEvent.Edited { IntakeOpen: true } edited) =>
                Accept(edited.Changed with { Id = participant.Id, CohortId = participant.CohortId, Email = participant.Email, Status = participant.Status,
                    RegisteredAt = participant.RegisteredAt }, null, now, "answers changed"),
            (ParticipantStatus.Unconfirmed or ParticipantStatus.Registered or ParticipantStatus.Removed, ParticipantEvent.ChangedByAdmin changed) =>
                Accept(changed.Changed with { Id = participant.Id, CohortId = participant.CohortId, Email = participant.Email, Status = participant.Status,
                    RegisteredAt = participant.RegisteredAt }, null, now, "registration corrected by an admin"),
            (var status, ParticipantEvent.Edited) =>
                new ParticipantDecision.Rejected(status, "A registration can be changed only while intake is open and before withdrawing; after that, please write to the program team."),
            var (status, e) => new ParticipantDecision.Rejected(status, $"{e.GetType().Name} does not apply to a participant who is {Words.Say(status)}."),
        };

    private static ParticipantDecision.Accepted Accept(Participant participant, ParticipantMail? mail, DateTimeOffset now, string summary) =>
        new(participant, mail, mail is { } m ? KeyFor(participant, m, now) : null, summary);
}
