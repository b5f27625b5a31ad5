namespace MentorFlow.Shared.Pairing;

/// <summary>When things happen, in a person's own time zone: 09:00 on a weekday, DST-correct.</summary>
public static class Schedule
{
    public static readonly TimeOnly SendAt = new(9, 0);

    /// <summary>Check-in <paramref name="month"/> (1-based; term + 1 is the closing survey), counted from the introduction plus any pause.</summary>
    public static DateTimeOffset CheckIn(DateTimeOffset introducedAt, TimeSpan pausedFor, int month, CheckInCadence cadence, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var start = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(introducedAt + pausedFor, zone).DateTime);
        var day = cadence == CheckInCadence.Monthly ? start.AddMonths(month) : start.AddDays(14 * month);
        return AtNine(day, zone);
    }

    /// <summary>The first 09:00 on a weekday at least <paramref name="after"/> from <paramref name="from"/>, in the zone.</summary>
    public static DateTimeOffset NextWeekdayMorning(DateTimeOffset from, TimeSpan after, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var earliest = from + after;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(earliest, zone).DateTime);
        var candidate = AtNine(day, zone);
        return candidate >= earliest ? candidate : AtNine(day.AddDays(1), zone);
    }

    /// <summary>09:00 local on the day, moved to Monday from a weekend; a skipped hour (a DST jump) moves it an hour later.</summary>
    public static DateTimeOffset AtNine(DateOnly day, TimeZoneInfo zone)
    {
        day = day.DayOfWeek switch { DayOfWeek.Saturday => day.AddDays(2), DayOfWeek.Sunday => day.AddDays(1), _ => day };
        var local = day.ToDateTime(SendAt);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
