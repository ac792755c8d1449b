namespace InternetMonitor.Probe.Outages;

/// <summary>The outage detector's verdict now, for jobs that should not run while the internet is down.</summary>
public interface IConnectivity
{
    ConnectivityState State { get; }
}
