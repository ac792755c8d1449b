using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// A fake clock whose wall time can be stepped alone, as NTP steps a clock that was wrong: <see cref="Advance"/> moves
/// both clocks together, <see cref="Step"/> moves the wall clock only and leaves the monotonic clock (timestamps,
/// timers, delays) where it is. A <see cref="FakeTimeProvider"/> cannot do that: its timestamps follow its wall time.
/// </summary>
public sealed class JumpingClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _monotonic = new(start);
    private TimeSpan _step;

    /// <summary>How far the wall clock has been stepped from the monotonic one, in all.</summary>
    public TimeSpan Stepped => _step;

    public override DateTimeOffset GetUtcNow() => _monotonic.GetUtcNow() + _step;

    public override long GetTimestamp() => _monotonic.GetTimestamp();

    public override long TimestampFrequency => _monotonic.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _monotonic.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _monotonic.CreateTimer(callback, state, dueTime, period);

    /// <summary>Time passes: both clocks move, and timers due meanwhile fire.</summary>
    public void Advance(TimeSpan delta) => _monotonic.Advance(delta);

    /// <summary>The wall clock is stepped by <paramref name="delta"/> (forward or back); no time passes.</summary>
    public void Step(TimeSpan delta) => _step += delta;

    /// <summary>The local time zone the clock reports (the data budget's days).</summary>
    public void SetLocalTimeZone(TimeZoneInfo zone) => _monotonic.SetLocalTimeZone(zone);
}
