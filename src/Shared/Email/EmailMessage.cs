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
