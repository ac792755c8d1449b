namespace InternetMonitor.Probe.Outages;

/// <summary>Bound from <c>Monitor:Outage</c>.</summary>
public sealed class OutageOptions
{
    public const string Section = "Outage";

    /// <summary>The internet is down once every public target has lost every echo for this long.</summary>
    public TimeSpan DownAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>It is up again once one public target answers this many echoes in a row.</summary>
    public int UpAfterReplies { get; set; } = 3;
}
