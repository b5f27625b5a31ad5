using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Email;

/// <summary>
/// The email a participant gets once they confirmed: who registered, for which cohort, what happens next (in the cohort's
/// wording, <see cref="EmailKind.Receipt"/>), and, whatever the wording says, their own manage link.
/// </summary>
public static class ReceiptEmail
{
    public static EmailMessage Compose(Cohort cohort, Participant p, string manageUrl, EmailTemplate? custom = null, EmailLogo? logo = null)
    {
        var (subject, html, text) = EmailTemplates.Render(custom ?? EmailTemplates.Defaults[EmailKind.Receipt], Model(cohort, p));
        (html, text) = PairEmails.WithManageLink(html, text, manageUrl);
        return new EmailMessage(ParticipantDecider.KeyFor(p, ParticipantMail.Receipt, default), [new Recipient(p.FullName, p.Email)], subject,
            EmailLayout.Document(subject, html, cohort.AccentColor, logo), text, ReplyTo: cohort.Contact());
    }

    /// <summary>The cohort as the registration emails see it: the pair emails' fields, when intake closes and how often check-ins come.</summary>
    public static Dictionary<string, object> CohortModel(Cohort cohort)
    {
        var about = PairEmails.CohortModel(cohort);
        about["intakeCloses"] = PairEmails.Date(cohort.IntakeClosesOn);
        about["cadence"] = cohort.CheckInCadence == CheckInCadence.Monthly ? "month" : "two weeks";
        return about;
    }

    /// <summary>What the receipt's wording can use: the cohort and its timeline, and what the person told the form.</summary>
    public static Dictionary<string, object> Model(Cohort cohort, Participant p)
    {
        return new Dictionary<string, object>
        {
            ["cohort"] = CohortModel(cohort),
            ["person"] = new Dictionary<string, object>
            {
                ["name"] = p.FullName,
                ["firstName"] = p.FirstName,
                ["role"] = p.Role == Role.Mentee ? "mentee" : "mentor",
                ["partnerRole"] = p.Role == Role.Mentee ? "mentor" : "mentee",
                ["isMentor"] = p.Role == Role.Mentor,
                ["careerStage"] = Words.Of(p.CareerStage),
                ["specialty"] = p.Specialty + (p.Subspecialty is null ? "" : " / " + p.Subspecialty),
                ["institution"] = $"{p.Institution}, {p.City}, {p.Region}, {p.Country}",
                ["aspects"] = string.Join(", ", p.Aspects.Select(a => Words.Of(a))),
                ["capacity"] = p.Capacity ?? 0,
                ["attending"] = p.AttendingNationalMeeting,
                ["goals"] = p.Goals,
            },
        };
    }
}
