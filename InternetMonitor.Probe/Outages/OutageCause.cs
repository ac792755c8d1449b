namespace InternetMonitor.Probe.Outages;

public enum OutageCause
{
    /// <summary>The gateway is silent too, or there is no route at all: the problem is on this side.</summary>
    Local,

    /// <summary>The gateway answers but no public target does: the provider or beyond.</summary>
    Internet,

    /// <summary>No gateway to witness (none detected or configured) and packets simply vanish.</summary>
    Unknown,
}
