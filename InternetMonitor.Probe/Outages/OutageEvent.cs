namespace InternetMonitor.Probe.Outages;

/// <summary>An outage began or ended.</summary>
/// <param name="Start">When the last public target stopped answering: the send time of its first lost echo.</param>
/// <param name="Cause"></param>
public abstract record OutageEvent(DateTimeOffset Start, OutageCause Cause);
