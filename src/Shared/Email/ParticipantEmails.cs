using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Email;

/// <summary>
/// The emails about a person's own registration. The first one echoes nothing the form said, not even the name (anyone can
/// type any address and any text into a public form), and asks the owner of the address to confirm.
/// </summary>
public static class ParticipantEmails
{
    public static EmailMessage Compose(Cohort cohort, Participant p, ParticipantMail mail, string key, IResponseLinks links, EmailTemplate? receiptWording = null) => mail switch
    {
        ParticipantMail.Confirm => Anonymous(cohort, p, key, $"{cohort.Society}: please confirm your registration for {cohort.Name}",
            [$"Someone — we hope you — registered this address for {cohort.Name}, the {cohort.Society} mentorship program.",
             "To confirm, open this link and press the button on the page (within 7 days):"],
            links.Confirm(p), "If it was not you, ignore this email: the registration is deleted after 7 days and you will hear nothing more.", links.Logo(cohort)),
        ParticipantMail.AlreadyRegistered => Anonymous(cohort, p, key, $"{cohort.Society}: you are already registered for {cohort.Name}",
            [$"Someone submitted the registration form for {cohort.Name} with your address. You are already registered; nothing was changed.",
             "To see, change or withdraw your registration, use your manage link:"],
            links.Manage(p.CohortId, p.Id), "If it was not you, there is nothing to do.", links.Logo(cohort)),
        _ => ReceiptEmail.Compose(cohort, p, links.Manage(p.CohortId, p.Id), receiptWording, links.Logo(cohort)),
    };

    /// <summary>Addressed to the address alone: no name in the greeting or the To header, since whoever filled the form chose it.</summary>
    private static EmailMessage Anonymous(Cohort cohort, Participant p, string key, string subject, string[] lines, string url, string closing, EmailLogo? logo)
    {
        var text = $"Hello,\n\n{string.Join("\n\n", lines)}\n{url}\n\n{closing}\n\nThe {cohort.Society} mentorship program\n";
        var html = EmailLayout.Document(subject, $"""
            <p>Hello,</p>
            {string.Concat(lines.Select(l => $"<p>{Html.Encode(l)}</p>"))}
            <p><a href="{Html.Encode(url)}">{Html.Encode(url)}</a></p>
            <p>{Html.Encode(closing)}</p>
            <p>The {Html.Encode(cohort.Society)} mentorship program</p>
            """, cohort.AccentColor, logo);
        return new EmailMessage(key, [new Recipient("", p.Email)], subject, html, text, ReplyTo: cohort.Contact());
    }
}
