using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Email;

/// <summary>
/// The emails about a person's own registration. The confirmation and "already registered" go to an address nobody has
/// confirmed yet (anyone can type any address and any text into a public form): in the cohort's wording, but their model
/// holds the cohort and the one link only, so they echo nothing the form said, not even the name.
/// </summary>
public static class ParticipantEmails
{
    /// <summary>The kinds of wording that go to an address nobody has confirmed: they may use no field about the person.</summary>
    public static bool IsAnonymous(EmailKind kind) => kind is EmailKind.Confirmation or EmailKind.AlreadyRegistered;

    /// <summary>The wording's kind for each registration email.</summary>
    public static EmailKind KindOf(ParticipantMail mail) => mail switch
    {
        ParticipantMail.Confirm => EmailKind.Confirmation,
        ParticipantMail.AlreadyRegistered => EmailKind.AlreadyRegistered,
        _ => EmailKind.Receipt,
    };

    /// <summary>The email for <paramref name="mail"/>, in <paramref name="wording"/> (the cohort's for its kind) or the default.</summary>
    public static EmailMessage Compose(Cohort cohort, Participant p, ParticipantMail mail, string key, IResponseLinks links, EmailTemplate? wording = null) => mail switch
    {
        ParticipantMail.Confirm => Anonymous(cohort, p, key, EmailKind.Confirmation, links.Confirm(p), wording, links.Logo(cohort)),
        ParticipantMail.AlreadyRegistered => Anonymous(cohort, p, key, EmailKind.AlreadyRegistered, links.Manage(p.CohortId, p.Id), wording, links.Logo(cohort)),
        _ => ReceiptEmail.Compose(cohort, p, links.Manage(p.CohortId, p.Id), wording, links.Logo(cohort)),
    };

    /// <summary>What the confirmation's and "already registered"'s wording can use: the cohort and its timeline, and the one link (nothing about the person).</summary>
    public static Dictionary<string, object> AnonymousModel(Cohort cohort, string link) => new()
    {
        ["cohort"] = ReceiptEmail.CohortModel(cohort),
        ["link"] = link,
    };

    /// <summary>
    /// Addressed to the address alone: no name in the greeting or the To header, since whoever filled the form chose it. The
    /// link is what the email is for: a wording that leaves it out still gets it, below.
    /// </summary>
    private static EmailMessage Anonymous(Cohort cohort, Participant p, string key, EmailKind kind, string url, EmailTemplate? wording, EmailLogo? logo)
    {
        var (subject, html, text) = EmailTemplates.Render(wording ?? EmailTemplates.Defaults[kind], AnonymousModel(cohort, url));
        // The wording's {{ link }} is written by the template's HTML encoder; the default's by Html.Encode: either counts.
        if (!new[] { Html.Encode(url), System.Text.Encodings.Web.HtmlEncoder.Default.Encode(url) }.Any(u => html.Contains($"href=\"{u}\"", StringComparison.Ordinal)))
        {
            html += $"<p><a href=\"{Html.Encode(url)}\">{Html.Encode(url)}</a></p>";
        }
        if (!text.Contains(url, StringComparison.Ordinal))
        {
            text += $"\n{url}\n";
        }
        return new EmailMessage(key, [new Recipient("", p.Email)], subject, EmailLayout.Document(subject, html, cohort.AccentColor, logo), text, ReplyTo: cohort.Contact());
    }
}
