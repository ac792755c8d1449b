using System.Diagnostics;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// The times read just before an echo request's system call: the wall clock (Unix time in 100 ns ticks), which the
/// kernel's stamps are compared with, and the monotonic clock (<see cref="Stopwatch"/> ticks), which a wall-clock step does not move.
/// </summary>
public readonly record struct IcmpSendStamp(long Wall, long Monotonic)
{
    public static IcmpSendStamp Now() => new(KernelTimestamps.Now(), Stopwatch.GetTimestamp());
}
