namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>Bound from <c>Monitor:Icmp</c>.</summary>
public sealed class IcmpOptions
{
    public const string Section = "Icmp";

    /// <summary>Time between two echo requests to the same target.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An echo unanswered after this long is lost; a reply after it is counted as late, not as a sample.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Echo payload bytes (ping's default 56 makes a 64-byte ICMP message).</summary>
    public int PayloadSize { get; set; } = 56;

    public IcmpSocketKind SocketKind { get; set; } = IcmpSocketKind.Auto;

    /// <summary>Window of the loss-ratio and target-up gauges.</summary>
    public TimeSpan StatisticsWindow { get; set; } = TimeSpan.FromMinutes(1);
}
