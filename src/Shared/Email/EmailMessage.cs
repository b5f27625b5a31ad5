using System.Net;

namespace MentorFlow.Shared.Email;

public sealed record Recipient(string Name, string Address);

/// <summary>
/// One email, ready to send. <paramref name="IdempotencyKey"/> is deterministic for what the message is about
/// (the Message-ID is derived from it), so a retry or a second sender produces the same message, not a new one.
/// <paramref name="ReplyTo"/> is where a participant's reply reaches a person: the cohort's contact address.
/// </summary>
public sealed record EmailMessage(
    string IdempotencyKey,
    IReadOnlyList<Recipient> To,
    string Subject,
    string Html,
    string Text,
    IReadOnlyList<Attachment>? Attachments = null,
    Recipient? ReplyTo = null);

public sealed record Attachment(string FileName, string ContentType, string Content);

public static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Participant text for an HTML body: encoded, line breaks kept.</summary>
    public static string Paragraphs(string? text) => Encode(text).ReplaceLineEndings("<br>");
}

/// <summary>
/// The one HTML document every email is sent in: its title, the cohort's accent as a band at the top (the program's own
/// colour without one), and the body; inline styles only, as mail readers drop style sheets.
/// </summary>
public static class EmailLayout
{
    public static string Document(string subject, string body, string? accent = null, EmailLogo? logo = null) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{Html.Encode(subject)}</title></head>
        <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em; border-top: 6px solid {Html.Encode(accent ?? Cohorts.Branding.DefaultAccent)}; padding-top: 0.5em">
        {(logo is null ? "" : $"<p style=\"margin: 0 0 1em\"><img src=\"{Html.Encode(logo.Url)}\" alt=\"{Html.Encode(logo.Alt)}\" width=\"{logo.Width}\" height=\"{logo.Height}\" style=\"display: block; max-width: 100%; height: auto\"></p>")}
        {body}
        </body></html>
        """;
}

/// <summary>
/// A cohort's logo in an email: the app's absolute address for it (the same for every recipient, so loading it tells nobody
/// who opened what), the society's name as its text, and the size it is shown at.
/// </summary>
public sealed record EmailLogo(string Url, string Alt, int Width, int Height)
{
    public static EmailLogo? Of(Cohorts.Cohort cohort, string publicBaseUrl) =>
        cohort.Logo is { } logo
            ? new EmailLogo(publicBaseUrl.TrimEnd('/') + Cohorts.Logos.PathFor(cohort.Id, logo), cohort.Society, Cohorts.Logos.ShownWidth(logo), Cohorts.Logos.ShownHeightOf(logo))
            : null;
}
