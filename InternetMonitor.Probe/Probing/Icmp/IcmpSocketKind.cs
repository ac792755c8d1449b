namespace InternetMonitor.Probe.Probing.Icmp;

public enum IcmpSocketKind
{
    /// <summary>Raw first (root or CAP_NET_RAW), then an unprivileged datagram socket.</summary>
    Auto,

    /// <summary>SOCK_RAW: needs root or CAP_NET_RAW; sees ICMP errors (unreachable, time exceeded).</summary>
    Raw,

    /// <summary>SOCK_DGRAM ICMP ("ping socket"): needs the process's group inside net.ipv4.ping_group_range.</summary>
    Datagram,
}
