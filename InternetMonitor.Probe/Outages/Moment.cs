namespace InternetMonitor.Probe.Outages;

/// <summary>
/// A point in time as both clocks know it: <see cref="Wall"/> names it (what the history and the log say),
/// <see cref="Monotonic"/> places it on the monotonic clock, from which every duration and every "for how long" is
/// measured, so that a step of the wall clock (NTP setting a clock that was wrong) changes no length.
/// </summary>
/// <param name="Wall">The wall clock's name for it.</param>
/// <param name="Monotonic">Its place on the monotonic clock (from any origin, the same for every moment compared).</param>
public readonly record struct Moment(DateTimeOffset Wall, TimeSpan Monotonic);
