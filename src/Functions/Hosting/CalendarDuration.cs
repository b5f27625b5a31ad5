using System.Globalization;
using System.Text.RegularExpressions;

namespace MentorFlow.Functions.Hosting;

/// <summary>An ISO 8601 duration on the calendar: P1M from the 4th is the 4th of next month (not 30 days), P1Y a year, PT6H six hours.</summary>
public static partial class CalendarDuration
{
    /// <summary>The instant <paramref name="duration"/> after <paramref name="from"/>; null when it is not an ISO 8601 duration.</summary>
    public static DateTimeOffset? Until(string? duration, DateTimeOffset from)
    {
        var match = Pattern().Match(duration ?? "");
        if (!match.Success || match.Groups.Cast<Group>().Skip(1).All(g => !g.Success))
        {
            return null;
        }
        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            return from.AddYears(Part("y")).AddMonths(Part("mo")).AddDays(7 * Part("w") + Part("d"))
                .AddHours(Part("h")).AddMinutes(Part("mi")).AddSeconds(Part("s"));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^P(?:(?<y>\d{1,4})Y)?(?:(?<mo>\d{1,4})M)?(?:(?<w>\d{1,4})W)?(?:(?<d>\d{1,5})D)?(?:T(?:(?<h>\d{1,6})H)?(?:(?<mi>\d{1,7})M)?(?:(?<s>\d{1,9})S)?)?$")]
    private static partial Regex Pattern();
}
