namespace InternetMonitor.Probe.Probing.Icmp;

public enum IcmpMessageKind
{
    EchoReply,
    Unreachable,
    TimeExceeded,
}
