namespace InternetMonitor.Probe.Outages;

/// <summary>The outage detector's verdict now, for jobs that should not run while the internet is down.</summary>
public interface IConnectivity
{
    ConnectivityState State { get; }

    /// <summary>The outage in progress, or null: its start as the wall clock named it, and how long it has lasted on the monotonic clock.</summary>
    OngoingOutage? CurrentOutage { get; }
}

/// <summary>An outage going on: <paramref name="Start"/> names its start, <paramref name="Lasted"/> is its length so far (monotonic).</summary>
public sealed record OngoingOutage(DateTimeOffset Start, TimeSpan Lasted);
