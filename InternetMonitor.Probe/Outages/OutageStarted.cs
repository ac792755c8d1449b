namespace InternetMonitor.Probe.Outages;

/// <param name="Start"></param>

/// <param name="Cause"></param>/// <param name="DeclaredAt">When the detector was sure: <c>Start</c> plus at least the configured DownAfter.</param>
public sealed record OutageStarted(DateTimeOffset Start, OutageCause Cause, DateTimeOffset DeclaredAt) : OutageEvent(Start, Cause);
