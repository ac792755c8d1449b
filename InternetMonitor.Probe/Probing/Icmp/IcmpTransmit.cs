using System.Net;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>The kernel's stamp of when one of our echo requests left for the device (Unix time in 100 ns ticks).</summary>
public readonly record struct IcmpTransmit(IPAddress Destination, ushort Sequence, long Timestamp);
