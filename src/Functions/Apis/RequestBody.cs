using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Apis;

public enum BodyKind { Json, Form }

/// <summary>A request body read within the size limit and parsed, or the reason it could not be.</summary>
public sealed record RequestBody<T>(T? Value, BodyKind Kind, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Failure, IReadOnlyDictionary<string, StringValues>? FormFields = null)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Reads bodies by hand rather than through model binding, so that every failure (size, content type, malformed JSON,
/// a field of the wrong type or an unknown field) becomes a problem naming the field, never a bare 400 or a 500.
/// </summary>
public static partial class RequestBodies
{
    public static async Task<RequestBody<T>> ReadJsonAsync<T>(HttpRequest request, int maxBytes, CancellationToken ct) where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return new(null, BodyKind.Json, Problems.UnsupportedMediaType("application/json"));
        }
        var bytes = await ReadBoundedAsync(request, maxBytes, ct);
        return bytes is null ? new(null, BodyKind.Json, Problems.TooLarge(maxBytes)) : ParseJson<T>(bytes);
    }

    /// <summary>JSON or an HTML form post (the intake form), each parsed to the same shape by <paramref name="fromForm"/>.</summary>
    public static async Task<RequestBody<T>> ReadJsonOrFormAsync<T>(HttpRequest request, int maxBytes, Func<IReadOnlyDictionary<string, StringValues>, T> fromForm, CancellationToken ct)
        where T : class
    {
        var isForm = IsForm(request.ContentType);
        if (!isForm && !IsJson(request.ContentType))
        {
            return new(null, BodyKind.Json, Problems.UnsupportedMediaType("application/json or application/x-www-form-urlencoded"));
        }
        var kind = isForm ? BodyKind.Form : BodyKind.Json;
        var bytes = await ReadBoundedAsync(request, maxBytes, ct);
        if (bytes is null)
        {
            return new(null, kind, Problems.TooLarge(maxBytes));
        }
        if (!isForm)
        {
            return ParseJson<T>(bytes);
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return new(null, kind, Problems.Invalid("body", "The form is not valid UTF-8."));
        }
        var fields = QueryHelpers.ParseQuery(text);
        return new(fromForm(fields), kind, null, fields);
    }

    private static RequestBody<T> ParseJson<T>(byte[] bytes) where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, Hosting.Json.Input);
            return value is null
                ? new(null, BodyKind.Json, Problems.Invalid("body", "A JSON object is required."))
                : new(value, BodyKind.Json, null);
        }
        catch (JsonException e)
        {
            var (field, message) = Describe(e);
            return new(null, BodyKind.Json, Problems.Invalid(field, message));
        }
    }

    /// <summary>Turns a serializer error into the field it is about and a message without type names.</summary>
    public static (string Field, string Message) Describe(JsonException e)
    {
        var unmapped = UnmappedProperty().Match(e.Message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups[1].Value;
            var path = FieldOf(e.Path);
            return (path == name || path.EndsWith("." + name, StringComparison.Ordinal) ? path : path == "body" ? name : $"{path}.{name}", "Unknown field.");
        }
        var field = FieldOf(e.Path);
        if (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return (field, "The field appears more than once.");
        }
        if (e.Path is null or "$" && e.LineNumber == 0 && e.BytePositionInLine == 0)
        {
            return ("body", "The body is empty or not JSON.");
        }
        return field == "body"
            ? ("body", "The body is not a valid JSON object.")
            : (field, "Wrong type or malformed value.");
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        var field = ArrayIndex().Replace(path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$'), "");
        field = field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).Trim('.');
        return field.Length == 0 ? "body" : field;
    }

    /// <summary>The body's bytes as sent (an upload), or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static Task<byte[]?> ReadBytesAsync(HttpRequest request, int maxBytes, CancellationToken ct) => ReadBoundedAsync(request, maxBytes, ct);

    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase));

    private static bool IsForm(string? contentType) =>
        contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    [GeneratedRegex(@"The JSON property '([^']{1,100})' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex ArrayIndex();
}
