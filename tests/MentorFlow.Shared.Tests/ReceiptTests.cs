using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

/// <summary>The receipt: the default wording says what the person told the form and what comes next; a cohort's own wording replaces it but never the manage link.</summary>
public class ReceiptTests
{
    [Fact]
    public void The_default_receipt_names_what_the_person_said_for_their_role_and_ends_with_their_own_manage_link()
    {
        var cohort = ACohort.Open();
        var mentor = AParticipant.Mentor("Ben", capacity: 2) with { Goals = "Line one\nLine <two>" };
        var mentee = AParticipant.Mentee("Ana");

        var toMentor = ReceiptEmail.Compose(cohort, mentor, "https://x.example/m/ben");
        var toMentee = ReceiptEmail.Compose(cohort, mentee, "https://x.example/m/ana");

        Assert.Equal($"{cohort.Society}: you are registered as a mentor in {cohort.Name}", toMentor.Subject);
        Assert.Contains("- Mentees you can take: 2", toMentor.Text, StringComparison.Ordinal);
        Assert.Contains("Mentoring offered in:", toMentor.Text, StringComparison.Ordinal);
        Assert.Contains("introduced to your mentee", toMentor.Text, StringComparison.Ordinal);
        Assert.Contains("Your goals: Line one<br />Line &lt;two&gt;", toMentor.Html, StringComparison.Ordinal); // the line kept as a break, the markup as text
        Assert.DoesNotContain("Mentees you can take", toMentee.Text, StringComparison.Ordinal);
        Assert.Contains("Mentoring wanted in:", toMentee.Text, StringComparison.Ordinal);
        Assert.EndsWith("https://x.example/m/ana\n", toMentee.Text, StringComparison.Ordinal);
        Assert.Equal([mentee.Email], toMentee.To.Select(t => t.Address));
    }

    [Fact]
    public void A_cohorts_own_receipt_wording_is_used_and_the_manage_link_is_added_to_it()
    {
        var custom = new EmailTemplate("Welcome, {{ person.firstName }}", "<p>See you at {{ cohort.meeting.name }}.</p>", "See you at {{ cohort.meeting.name }}.");

        var email = ParticipantEmails.Compose(ACohort.Open(), AParticipant.Mentee("Ana"), ParticipantMail.Receipt, "k", new PulseTests.Links(), custom);

        Assert.StartsWith("Welcome, ", email.Subject, StringComparison.Ordinal);
        Assert.StartsWith("See you at ", email.Text, StringComparison.Ordinal);
        Assert.Contains("/m/", email.Text, StringComparison.Ordinal);
        Assert.Contains("See, withdraw or erase your registration", email.Html, StringComparison.Ordinal);
        Assert.True(EmailTemplates.Defaults.ContainsKey(EmailKind.Receipt));
    }

    [Fact]
    public void The_confirmation_and_already_registered_emails_name_nobody_by_default_and_carry_their_one_link()
    {
        var cohort = ACohort.Open();
        var mentee = AParticipant.Mentee("Zebulon");
        var links = new PulseTests.Links();

        var confirm = ParticipantEmails.Compose(cohort, mentee, ParticipantMail.Confirm, "k", links);
        var again = ParticipantEmails.Compose(cohort, mentee, ParticipantMail.AlreadyRegistered, "k", links);

        Assert.Equal($"{cohort.Society}: please confirm your registration for {cohort.Name}", confirm.Subject);
        Assert.Equal($"{cohort.Society}: you are already registered for {cohort.Name}", again.Subject);
        Assert.Contains(links.Confirm(mentee), confirm.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{links.Confirm(mentee)}\"", confirm.Html, StringComparison.Ordinal);
        Assert.Contains(links.Manage(mentee.CohortId, mentee.Id), again.Text, StringComparison.Ordinal);
        Assert.All([confirm, again], e =>
        {
            Assert.DoesNotContain("Zebulon", e.Html + e.Text + e.Subject, StringComparison.Ordinal);
            Assert.Equal("", Assert.Single(e.To).Name);
        });
    }

    [Fact]
    public void A_cohorts_own_confirmation_wording_is_used_it_cannot_reach_the_persons_fields_and_the_link_is_added_when_it_leaves_it_out()
    {
        var cohort = ACohort.Open();
        var mentee = AParticipant.Mentee("Zebulon");
        var links = new PulseTests.Links();
        var custom = new EmailTemplate("Confirm for {{ cohort.name }}, {{ person.name }}{{ mentee.name }}",
            "<p>Closes {{ cohort.intakeCloses }}.</p>", "Closes {{ cohort.intakeCloses }}.");

        var email = ParticipantEmails.Compose(cohort, mentee, ParticipantMail.Confirm, "k", links, custom);
        var fields = EmailTemplates.Fields(ParticipantEmails.AnonymousModel(cohort, "https://x.example/c/1")).Select(f => f.Path).ToList();

        Assert.Equal($"Confirm for {cohort.Name},", email.Subject);
        Assert.StartsWith($"Closes {PairEmails.Date(cohort.IntakeClosesOn)}.", email.Text, StringComparison.Ordinal);
        Assert.EndsWith($"{links.Confirm(mentee)}\n", email.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{links.Confirm(mentee)}\"", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Zebulon", email.Html + email.Text, StringComparison.Ordinal);
        Assert.Contains("link", fields);
        Assert.Contains("cohort.intakeCloses", fields);
        Assert.All(fields, f => Assert.True(f == "link" || f.StartsWith("cohort.", StringComparison.Ordinal), f));
    }

    [Fact]
    public void An_admin_notice_says_its_title_detail_and_action_by_default_or_in_the_cohorts_wording_and_the_report_keeps_its_form()
    {
        var cohort = ACohort.Open();
        var custom = new EmailTemplate("Heads up: {{ notice.title }}", "<p>{{ notice.detail }}</p>", "{{ notice.detail }} ({{ notice.kind }})");

        var standard = AdminEmails.Notice(cohort, "k", Cohorts.CohortNotice.ProposalReady, "Proposal v2 is ready.", "https://x.example/console/m", null);
        var own = AdminEmails.Notice(cohort, "k", Cohorts.CohortNotice.WeeklyDigest, "3 pairs met.", "https://x.example/console/d", null, custom);
        var report = AdminEmails.Notice(cohort, "k", Cohorts.CohortNotice.OutcomeReport, "", "https://x.example/console/d", CohortReport.For(cohort, []), custom);

        Assert.Equal($"{cohort.Name}: a matching proposal is ready for review", standard.Subject);
        Assert.Contains("Review the proposal in the admin console: https://x.example/console/m", standard.Text, StringComparison.Ordinal);
        Assert.Equal("Heads up: This week in the cohort", own.Subject);
        Assert.StartsWith("3 pairs met. (weeklyDigest)", own.Text, StringComparison.Ordinal);
        Assert.Equal($"{cohort.Name}: outcome report", report.Subject);
        Assert.All([standard, own, report], e => Assert.Equal(cohort.AdminEmails, e.To.Select(t => t.Address)));
    }
}
