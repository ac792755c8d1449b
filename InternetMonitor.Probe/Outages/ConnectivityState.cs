namespace InternetMonitor.Probe.Outages;

public enum ConnectivityState
{
    /// <summary>No verdict yet: no reply, and not yet long enough without one.</summary>
    Unknown,
    Up,
    Down,
}
