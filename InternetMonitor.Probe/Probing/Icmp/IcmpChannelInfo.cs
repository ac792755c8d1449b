using System.Net.Sockets;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>What an open ICMP channel is, for the probe's start-up log line and the RTT metrics' help.</summary>
/// <param name="Family">The address family it serves.</param>
/// <param name="Kind">A raw socket or an unprivileged datagram (ping) socket.</param>
/// <param name="Identifier">The echo identifier its requests carry.</param>
/// <param name="Timestamps">Who stamps its sends and arrivals: the kernel, or the probe's own threads.</param>
public sealed record IcmpChannelInfo(AddressFamily Family, IcmpSocketKind Kind, ushort Identifier, IcmpTimestamps Timestamps)
{
    public string FamilyName => Family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    /// <summary>Where its RTTs start and end, in a few words.</summary>
    public string DescribeTimestamps() => Timestamps switch
    {
        IcmpTimestamps.Kernel => "from the kernel's transmit stamp to its arrival stamp (SO_TIMESTAMPING)",
        IcmpTimestamps.KernelArrival => "from the time just before the send to the kernel's arrival stamp (SO_TIMESTAMPNS; the kernel refused transmit stamps)",
        _ => "from the time just before the send to the time just after the receive (the kernel refused to stamp packets)",
    };
}
