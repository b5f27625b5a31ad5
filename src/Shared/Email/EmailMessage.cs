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
    public static string Document(string subject, string body, string? accent = null) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{Html.Encode(subject)}</title></head>
        <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em; border-top: 6px solid {Html.Encode(accent ?? Cohorts.Branding.DefaultAccent)}; padding-top: 0.5em">
        {body}
        </body></html>
        """;
}
