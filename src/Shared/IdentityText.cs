using System.Globalization;
using System.Text;

namespace MentorFlow.Shared;

/// <summary>
/// Names, institutions and avoid entries: the text matching rules compare. Stored clean (compatibility-normalised, with
/// no invisible format characters), compared by a key that also ignores case and diacritics — so "John\u200B Smith",
/// "ＪＯＨＮ SMITH" and "John Smith" are one person, and "Núñez" is "Nunez".
/// </summary>
public static class IdentityText
{
    /// <summary>NFKC, without zero-width and bidi-mark characters (Unicode format characters), white space runs as one space, trimmed.</summary>
    public static string Clean(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var clean = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (clean.Length > 0 && clean[^1] != ' ')
                {
                    clean.Append(' ');
                }
                continue;
            }
            clean.Append(c);
        }
        return clean.ToString().Trim();
    }

    /// <summary>What two texts are compared by: <see cref="Clean"/>, then without diacritics, case-folded.</summary>
    public static string Key(string text)
    {
        var decomposed = Clean(text).Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                key.Append(c);
            }
        }
        return key.ToString().Normalize(NormalizationForm.FormC).ToUpperInvariant().ToLowerInvariant();
    }
}
