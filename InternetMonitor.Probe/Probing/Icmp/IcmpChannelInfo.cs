using System.Net.Sockets;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>What an open ICMP channel is, for the probe's start-up log line.</summary>
/// <param name="Family">The address family it serves.</param>
/// <param name="Kind">A raw socket or an unprivileged datagram (ping) socket.</param>
/// <param name="Identifier">The echo identifier its requests carry.</param>
/// <param name="UsesKernelTimestamps">True when the kernel stamps arrivals; otherwise the reader thread does.</param>
public sealed record IcmpChannelInfo(AddressFamily Family, IcmpSocketKind Kind, ushort Identifier, bool UsesKernelTimestamps);
