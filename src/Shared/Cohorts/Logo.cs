using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace MentorFlow.Shared.Cohorts;

/// <summary>A cohort's logo as the cohort document knows it: its kind, its hash (which names the version served), its size.</summary>
public sealed record CohortLogo(string ContentType, string Hash, int Width, int Height, int Bytes);

/// <summary>
/// The logo a cohort shows at the top of its participants' pages and emails: a PNG or a JPEG, recognised by its own bytes
/// (never by the name or type it was sent with), small enough for an email, within sensible dimensions. SVG is refused: it
/// can carry script, and several mail readers do not show it.
/// </summary>
public static class Logos
{
    public const int MaxBytes = 256 * 1024;

    public const int MinSide = 16;

    public const int MaxSide = 2000;

    /// <summary>The route the app serves a cohort's logo on (under /assets, which the pages' policy allows images from).</summary>
    public const string Route = "/assets/cohorts/{cohortId:id}/logo";

    /// <summary>The file read from its bytes; the declared type (when one was given) must be what the bytes are. Errors under <c>logo</c>.</summary>
    public static (CohortLogo? Logo, ValidationErrors Errors) Inspect(ReadOnlySpan<byte> bytes, string? declaredType)
    {
        var errors = new ValidationErrors();
        if (bytes.IsEmpty)
        {
            errors.Add("logo", "Choose a PNG or JPEG image.");
            return (null, errors);
        }
        if (bytes.Length > MaxBytes)
        {
            errors.Add("logo", TooLarge(bytes.Length));
            return (null, errors);
        }
        var found = Png(bytes) ?? Jpeg(bytes);
        if (found is not { } image)
        {
            errors.Add("logo", "Not a PNG or JPEG image. Only these two are taken: an SVG can carry script, and other formats do not show in every mail reader.");
            return (null, errors);
        }
        var declared = declaredType?.Split(';')[0].Trim().ToLowerInvariant();
        if (declared is { Length: > 0 } && declared != "application/octet-stream" && declared != image.Type)
        {
            errors.Add("logo", $"The file is a {Say(image.Type)} image but was sent as {declared}.");
            return (null, errors);
        }
        if (image.Width is < MinSide or > MaxSide || image.Height is < MinSide or > MaxSide)
        {
            errors.Add("logo", $"{image.Width}×{image.Height} pixels: each side must be {MinSide} to {MaxSide} pixels.");
            return (null, errors);
        }
        return (new CohortLogo(image.Type, Convert.ToHexStringLower(SHA256.HashData(bytes)), image.Width, image.Height, bytes.Length), errors);
    }

    /// <summary>Where the app serves a cohort's logo; the hash in the query names the version, so a new logo is never a cached old one.</summary>
    public static string PathFor(string cohortId, CohortLogo logo) => Route.Replace("{cohortId:id}", cohortId, StringComparison.Ordinal) + $"?v={logo.Hash[..16]}";

    /// <summary>How a page or an email shows it: at most this many pixels high, its width following.</summary>
    public const int ShownHeight = 48;

    public static int ShownWidth(CohortLogo logo) => (int)Math.Round(logo.Width * (double)ShownHeightOf(logo) / logo.Height);

    public static int ShownHeightOf(CohortLogo logo) => Math.Min(ShownHeight, logo.Height);

    /// <summary>Why an image of this many bytes is refused.</summary>
    public static string TooLarge(long bytes) =>
        $"At most {MaxBytes / 1024} KB; this image has {Math.Ceiling(bytes / 1024.0).ToString(CultureInfo.InvariantCulture)} KB. Save it smaller (a logo needs about 600 pixels across at most).";

    private static string Say(string type) => type == "image/png" ? "PNG" : "JPEG";

    private static (string Type, int Width, int Height)? Png(ReadOnlySpan<byte> b)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        // The signature, then the IHDR chunk first: its length (13), its name, width and height as big-endian integers.
        if (b.Length < 24 || !b[..8].SequenceEqual(signature) || !b.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return null;
        }
        var width = BinaryPrimitives.ReadUInt32BigEndian(b.Slice(16, 4));
        var height = BinaryPrimitives.ReadUInt32BigEndian(b.Slice(20, 4));
        return ("image/png", (int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue));
    }

    private static (string Type, int Width, int Height)? Jpeg(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8)
        {
            return null;
        }
        // Segment after segment to the frame header (SOFn), which holds the height, then the width.
        var i = 2;
        while (i + 3 < b.Length)
        {
            if (b[i] != 0xFF)
            {
                return null;
            }
            var marker = b[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }
            if (marker is 0xD9 or 0xDA)
            {
                return null; // the image data began (or ended) before any frame header
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(b.Slice(i + 2, 2));
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (i + 9 > b.Length || length < 7)
                {
                    return null;
                }
                return ("image/jpeg", BinaryPrimitives.ReadUInt16BigEndian(b.Slice(i + 7, 2)), BinaryPrimitives.ReadUInt16BigEndian(b.Slice(i + 5, 2)));
            }
            if (length < 2)
            {
                return null;
            }
            i += 2 + length;
        }
        return null;
    }
}
