using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace MentorFlow.Shared;

/// <summary>Every problem found in one input, by field name (camelCase, dotted for nested fields).</summary>
public sealed class ValidationErrors
{
    private readonly SortedDictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _byField.Count == 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            _byField[field] = messages = [];
        }
        messages.Add(message);
    }

    public bool Has(string field) => _byField.ContainsKey(field);

    public IDictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>Field-level checks shared by the intake and cohort rules.</summary>
public static class Check
{
    public const int NameMax = 100;
    public const int LineMax = 200;
    public const int EmailMax = 254;

    /// <summary>A required single line of text: trimmed, NFC-normalised, no control, bidi-override or markup characters.</summary>
    public static string? Line(ValidationErrors errors, string field, string? value, int max = LineMax, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "Required.");
            }
            return null;
        }
        var text = Normalize(value.Trim());
        if (text.Length > max)
        {
            errors.Add(field, $"At most {max} characters.");
            return null;
        }
        if (text.Any(c => char.IsControl(c) || IsBidiControl(c) || char.IsSurrogate(c) && !HasPair(text, c)))
        {
            errors.Add(field, "Contains control characters.");
            return null;
        }
        if (text.IndexOfAny(['<', '>']) >= 0)
        {
            errors.Add(field, "Must not contain '<' or '>'.");
            return null;
        }
        return text;
    }

    /// <summary>A name, institution or avoid entry: a <see cref="Line"/>, stored as <see cref="IdentityText.Clean"/> makes it.</summary>
    public static string? IdentityLine(ValidationErrors errors, string field, string? value, int max = LineMax, bool required = true)
    {
        if (Line(errors, field, value, max, required) is not { } line)
        {
            return null;
        }
        var clean = IdentityText.Clean(line);
        if (clean.Length == 0)
        {
            errors.Add(field, "Required: visible characters.");
            return null;
        }
        return clean;
    }

    /// <summary>Free text: line breaks and tabs allowed, other control characters not; kept as written, encoded on output.</summary>
    public static string? Text(ValidationErrors errors, string field, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "Required.");
            }
            return null;
        }
        var text = Normalize(value.Trim()).ReplaceLineEndings("\n");
        if (text.Length > max)
        {
            errors.Add(field, $"At most {max} characters.");
            return null;
        }
        if (text.Any(c => (char.IsControl(c) && c is not '\n' and not '\t') || IsBidiControl(c)))
        {
            errors.Add(field, "Contains control characters.");
            return null;
        }
        return text;
    }

    public static string? Email(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required.");
            return null;
        }
        var text = value.Trim();
        if (text.Length > EmailMax)
        {
            errors.Add(field, $"At most {EmailMax} characters.");
            return null;
        }
        if (!IsEmailAddress(text))
        {
            errors.Add(field, "Not a valid email address.");
            return null;
        }
        return text;
    }

    public static bool IsEmailAddress(string text)
    {
        if (text.Any(c => c <= ' ' || c > '~' || c is '<' or '>' or '"' or '(' or ')' or ',' or ';' or ':' or '\\' or '[' or ']'))
        {
            return false;
        }
        var at = text.LastIndexOf('@');
        if (at < 1 || at != text.IndexOf('@') || at == text.Length - 1)
        {
            return false;
        }
        var domain = text[(at + 1)..];
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains(".."))
        {
            return false;
        }
        return MailAddress.TryCreate(text, out var parsed) && parsed.Address == text && string.IsNullOrEmpty(parsed.DisplayName);
    }

    public static TEnum? Enum<TEnum>(ValidationErrors errors, string field, string? value) where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"Required: one of {Words.List<TEnum>()}.");
            return null;
        }
        if (!Words.TryParse<TEnum>(value, out var parsed))
        {
            errors.Add(field, $"Must be one of {Words.List<TEnum>()}.");
            return null;
        }
        return parsed;
    }

    /// <summary>An IANA time zone id known to this machine's time zone database (Windows ids are refused).</summary>
    public static string? TimeZone(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required: an IANA time zone such as America/Chicago.");
            return null;
        }
        var id = value.Trim();
        if (id.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId || zone.Id != id)
        {
            errors.Add(field, "Unknown time zone: use an IANA id such as America/Chicago.");
            return null;
        }
        return id;
    }

    public static string? Country(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required: an ISO 3166 alpha-2 code such as US.");
            return null;
        }
        var code = value.Trim().ToUpperInvariant();
        if (!Countries.IsAlpha2(code))
        {
            errors.Add(field, "Unknown country: use an ISO 3166 alpha-2 code such as US.");
            return null;
        }
        return code;
    }

    public static DateOnly? Date(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required: a date such as 2027-03-01.");
            return null;
        }
        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(field, "Not a date: use yyyy-MM-dd.");
            return null;
        }
        return date;
    }

    private static string Normalize(string text) => text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static bool HasPair(string text, char c)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == c)
            {
                var paired = char.IsHighSurrogate(c)
                    ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                    : i > 0 && char.IsHighSurrogate(text[i - 1]);
                if (!paired)
                {
                    return false;
                }
            }
        }
        return true;
    }
}

public static class Countries
{
    private const string Alpha2 =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO " +
        "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE " +
        "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO " +
        "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW " +
        "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM " +
        "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

    private static readonly HashSet<string> Codes = [.. Alpha2.Split(' ')];

    public static int Count => Codes.Count;

    public static bool IsAlpha2(string code) => Codes.Contains(code);
}
