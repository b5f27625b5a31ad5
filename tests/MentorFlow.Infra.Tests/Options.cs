using System.Reflection;
using MentorFlow.Functions.Hosting;

namespace MentorFlow.Infra.Tests;

/// <summary>Every options class the app binds, with its configuration section.</summary>
public static class Options
{
    public static IReadOnlyList<(string Section, Type Type)> All { get; } =
    [
        (CosmosSettings.Section, typeof(CosmosSettings)),
        (SmtpSettings.Section, typeof(SmtpSettings)),
        (EmailSettings.Section, typeof(EmailSettings)),
        (AcsSettings.Section, typeof(AcsSettings)),
        (AppSettings.Section, typeof(AppSettings)),
        (TelemetrySettings.Section, typeof(TelemetrySettings)),
        (MentorFlow.Functions.Durable.DurableSettings.Section, typeof(MentorFlow.Functions.Durable.DurableSettings)),
    ];

    /// <summary>Section and property joined by the separator: ":" in JSON and the README, "__" in environment variables.</summary>
    public static IEnumerable<string> Names(string separator) =>
        All.SelectMany(o => o.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{o.Section}{separator}{p.Name}"));
}
