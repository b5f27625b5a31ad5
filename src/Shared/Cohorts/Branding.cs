using System.Globalization;
using System.Text.RegularExpressions;

namespace MentorFlow.Shared.Cohorts;

/// <summary>
/// A cohort's accent colour on its participants' pages (buttons, links) and at the top of its emails. It carries white text
/// and sits as text on white, so it must keep WCAG's 4.5:1 contrast with white (the default, #0b5394, has 7.9:1).
/// </summary>
public static partial class Branding
{
    public const string DefaultAccent = "#0b5394";

    public const double MinContrast = 4.5;

    /// <summary>The colour checked (<c>#rrggbb</c>, contrast with white), lower-cased; null or empty removes it. Errors under <c>accentColor</c>.</summary>
    public static (string? Accent, ValidationErrors Errors) Validate(string? accent)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(accent))
        {
            return (null, errors);
        }
        var colour = accent.Trim().ToLowerInvariant();
        if (!Hex().IsMatch(colour))
        {
            errors.Add("accentColor", "A colour as # and six hexadecimal digits, such as #0b5394.");
            return (null, errors);
        }
        var contrast = ContrastWithWhite(colour);
        if (contrast < MinContrast)
        {
            errors.Add("accentColor", $"Too light: {contrast.ToString("0.00", CultureInfo.InvariantCulture)}:1 against white, and white text on it must be readable (at least {MinContrast.ToString("0.0", CultureInfo.InvariantCulture)}:1). Choose a darker shade.");
            return (null, errors);
        }
        return (colour, errors);
    }

    /// <summary>WCAG 2's contrast ratio of a <c>#rrggbb</c> colour with white: (1.05) / (its relative luminance + 0.05).</summary>
    public static double ContrastWithWhite(string colour)
    {
        double Channel(int at)
        {
            var c = int.Parse(colour.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var luminance = 0.2126 * Channel(1) + 0.7152 * Channel(3) + 0.0722 * Channel(5);
        return 1.05 / (luminance + 0.05);
    }

    [GeneratedRegex("^#[0-9a-f]{6}$")]
    private static partial Regex Hex();
}
