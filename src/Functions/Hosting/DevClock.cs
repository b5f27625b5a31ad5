namespace MentorFlow.Functions.Hosting;

/// <summary>Development's clock: the system clock plus an offset that <c>POST /api/dev/clock</c> moves forward.</summary>
public sealed class DevClock(TimeSpan start) : TimeProvider
{
    private long _offsetTicks = start.Ticks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
