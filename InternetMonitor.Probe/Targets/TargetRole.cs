namespace InternetMonitor.Probe.Targets;

/// <summary>Public anchors decide whether the internet is up; the gateway witnesses the local network.</summary>
public enum TargetRole
{
    Public,
    Gateway,
}
