using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Tests;

public class ParticipantDeciderTests
{
    private static readonly DateTimeOffset Now = ACohort.Now;

    private static Participant Unconfirmed() => AParticipant.Mentee("Ana") with { Status = ParticipantStatus.Unconfirmed };

    private static ParticipantDecision.Accepted Accept(Participant p, ParticipantEvent e, DateTimeOffset? at = null) =>
        Assert.IsType<ParticipantDecision.Accepted>(ParticipantDecider.Decide(p, e, at ?? Now));

    [Fact]
    public void Given_an_unconfirmed_registration_When_its_owner_confirms_Then_they_are_registered_and_get_their_receipt_once()
    {
        var confirmed = Accept(Unconfirmed(), new ParticipantEvent.Confirmed());
        var again = Accept(confirmed.Participant, new ParticipantEvent.Confirmed());

        Assert.Equal((ParticipantStatus.Registered, ParticipantMail.Receipt), (confirmed.Participant.Status, confirmed.Mail));
        Assert.Same(confirmed.Participant, again.Participant);
        Assert.Null(again.Mail);
    }

    [Fact]
    public void Given_a_known_address_When_the_form_is_sent_again_the_same_day_and_the_next_Then_nothing_changes_and_one_notice_a_day_is_owed()
    {
        var registered = Accept(Unconfirmed(), new ParticipantEvent.Confirmed()).Participant;

        var first = Accept(registered, new ParticipantEvent.RegisteredAgain());
        var sameDay = Accept(registered, new ParticipantEvent.RegisteredAgain(), Now.AddHours(3));
        var nextDay = Accept(registered, new ParticipantEvent.RegisteredAgain(), Now.AddDays(1));

        Assert.Same(registered, first.Participant);
        Assert.Equal(ParticipantMail.AlreadyRegistered, first.Mail);
        Assert.Equal(first.Key, sameDay.Key);
        Assert.NotEqual(first.Key, nextDay.Key);
    }

    [Fact]
    public void Given_a_participant_When_they_withdraw_Then_no_email_is_owed_and_a_withdrawn_person_cannot_be_confirmed_or_told_again()
    {
        var withdrawn = Accept(Unconfirmed(), new ParticipantEvent.Withdrew());

        Assert.Equal((ParticipantStatus.Withdrawn, (ParticipantMail?)null), (withdrawn.Participant.Status, withdrawn.Mail));
        Assert.IsType<ParticipantDecision.Rejected>(ParticipantDecider.Decide(withdrawn.Participant, new ParticipantEvent.Confirmed(), Now));
        Assert.Null(Accept(withdrawn.Participant, new ParticipantEvent.RegisteredAgain()).Mail);
    }

    [Fact]
    public void Given_open_intake_When_a_person_changes_their_answers_Then_they_are_kept_but_their_address_and_status_are_not_and_after_intake_it_is_refused()
    {
        var registered = Accept(Unconfirmed(), new ParticipantEvent.Confirmed()).Participant;
        var changed = registered with { Goals = "New goals", Email = "someone.else@x.example", Status = ParticipantStatus.Removed, Id = "p-other" };

        var edited = Accept(registered, new ParticipantEvent.Edited(changed, IntakeOpen: true));
        var late = ParticipantDecider.Decide(registered, new ParticipantEvent.Edited(changed, IntakeOpen: false), Now);

        Assert.Equal(("New goals", registered.Email, ParticipantStatus.Registered, registered.Id),
            (edited.Participant.Goals, edited.Participant.Email, edited.Participant.Status, edited.Participant.Id));
        Assert.Contains("only while intake is open", Assert.IsType<ParticipantDecision.Rejected>(late).Reason);
    }
}
