using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Email;

/// <summary>
/// An admin's message to the people of a cohort (an announcement, a nudge, a note to one pair): the admin's text as they wrote
/// it — plain text, never markup — addressed to one person, with that person's manage link, replies going to the program team.
/// </summary>
public static class AdminMessage
{
    public const int SubjectLimit = 200;
    public const int BodyLimit = 10_000;

    public static EmailMessage Compose(Cohort cohort, Participant p, string subject, string body, string key, string manageUrl, EmailLogo? logo = null)
    {
        var closing = $"Reply to this email to reach the program team. Your registration, withdrawal and data: {manageUrl}";
        var text = $"Dear {p.FirstName} {p.LastName},\n\n{body.Trim()}\n\nThe {cohort.Society} mentorship program\n\n{closing}\n";
        var html = EmailLayout.Document(subject, $"""
            <p>Dear {Html.Encode(p.FirstName)} {Html.Encode(p.LastName)},</p>
            {string.Concat(body.Trim().ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(para => $"<p>{Html.Paragraphs(para)}</p>"))}
            <p>The {Html.Encode(cohort.Society)} mentorship program</p>
            <p style="font-size: 0.9em">Reply to this email to reach the program team. <a href="{Html.Encode(manageUrl)}">Your registration, withdrawal and data</a>.</p>
            """, cohort.AccentColor, logo);
        return new EmailMessage(key, [new Recipient(p.FullName, p.Email)], $"{cohort.Society}: {subject}", html, text, ReplyTo: cohort.Contact());
    }
}
