using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Pages;

/// <summary>
/// What a form shows: the values posted (or stored) and the messages per field. Cascaded to the field components, so every
/// form — a participant's and the console's — labels, describes and marks its fields the same way.
/// </summary>
public sealed record FormState(IReadOnlyDictionary<string, StringValues> Values, IDictionary<string, string[]> Errors)
{
    public static FormState Empty { get; } = new(new Dictionary<string, StringValues>(), new Dictionary<string, string[]>());

    public static FormState Of(IReadOnlyDictionary<string, StringValues>? values, IDictionary<string, string[]>? errors) =>
        new(values ?? Empty.Values, errors ?? Empty.Errors);

    /// <summary>The element id of a field: the name with the characters an id fragment would trip on replaced.</summary>
    public static string Anchor(string field) => field.Replace('.', '-').Replace('[', '-').Replace(']', '-');

    /// <summary>The field's first value (a select shows one), or the fallback.</summary>
    public string Value(string name, string fallback = "") =>
        Values.TryGetValue(name, out var v) && v.Count > 0 ? v[0] ?? "" : fallback;

    public bool Has(string name, string value) => Values.TryGetValue(name, out var v) && v.Contains(value);

    /// <summary>"true" for a field with errors; null leaves the attribute out.</summary>
    public string? Invalid(string name) => Errors.ContainsKey(name) ? "true" : null;

    /// <summary>The ids describing a field: its hint and its errors, or null when it has neither.</summary>
    public string? DescribedBy(string name, bool hint) =>
        string.Join(' ', new[] { hint ? $"{Anchor(name)}-hint" : null, Errors.ContainsKey(name) ? $"{Anchor(name)}-error" : null }.OfType<string>()) is { Length: > 0 } ids
            ? ids : null;
}

/// <summary>The option lists forms share.</summary>
public static class Choices
{
    private static readonly Lazy<(string Value, string Label)[]> IanaZones = new(() =>
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId && z.Id.Contains('/')).Select(z => z.Id).Order(StringComparer.Ordinal).Select(z => (z, z))]);

    /// <summary>The IANA time zones with a region ("Europe/Paris"), sorted.</summary>
    public static (string Value, string Label)[] TimeZones => IanaZones.Value;

    /// <summary>An enum's values as the API spells them, labelled by <paramref name="label"/> (the API's spelling when null).</summary>
    public static (string Value, string Label)[] Of<TEnum>(Func<TEnum, string>? label = null) where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(v => (Shared.Words.Of(v), label?.Invoke(v) ?? Shared.Words.Of(v)))];
}
