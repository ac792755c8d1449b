namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// The ICMP channels the ping job opened, for what describes them (the RTT metrics' help). A holder of its own, so
/// that the metrics need not depend on the prober, whose late replies they record.
/// </summary>
public sealed class OpenIcmpChannels
{
    private IReadOnlyList<IcmpChannelInfo> _all = [];

    /// <summary>IPv4 first; empty until the job has opened them.</summary>
    public IReadOnlyList<IcmpChannelInfo> All
    {
        get => Volatile.Read(ref _all);
        set => Volatile.Write(ref _all, [.. value.OrderBy(channel => channel.Family)]);
    }
}
