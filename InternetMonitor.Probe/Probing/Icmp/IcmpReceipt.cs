using System.Net;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// A message for one of our echoes: its arrival time (Unix time in 100 ns ticks, see <see cref="KernelTimestamps"/>)
/// and the monotonic time (<see cref="System.Diagnostics.Stopwatch"/> ticks) just after it was read, which bounds the RTT when the wall clock steps.
/// </summary>
public readonly record struct IcmpReceipt(IPAddress From, IcmpMessage Message, long Timestamp, long Monotonic);
