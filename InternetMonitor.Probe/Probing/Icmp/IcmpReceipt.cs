using System.Net;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>A message for one of our echoes, with its arrival time (Unix time in 100 ns ticks, see <see cref="KernelTimestamps"/>).</summary>
public readonly record struct IcmpReceipt(IPAddress From, IcmpMessage Message, long Timestamp);
