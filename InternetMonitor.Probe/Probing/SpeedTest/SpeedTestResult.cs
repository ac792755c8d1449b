using InternetMonitor.Probe.Probing.SpeedTest.Adapters;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// A whole run: idle latency, then download, then upload. A run that failed has a <see cref="Reason"/> and the
/// phase it failed in; the direction that failed carries no speed, and the directions after it did not run.
/// </summary>
public sealed record SpeedTestResult(
    string Server,
    SpeedTestServerType ServerType,
    DateTimeOffset Start,
    DateTimeOffset End,
    LatencySummary Idle,
    DirectionResult? Download,
    DirectionResult? Upload,
    string? Reason,
    SpeedTestPhase? FailedIn,
    string? Detail)
{
    public bool Succeeded => Reason is null;

    /// <summary>The measurement campaign this run was measured for (Campaigns/), or null for a run of the regular schedule.</summary>
    public string? Campaign { get; init; }

    public DirectionResult? Direction(SpeedTestDirection direction) => direction == SpeedTestDirection.Download ? Download : Upload;

    public long BytesUsed(SpeedTestDirection direction) => Direction(direction)?.BytesUsed ?? 0;
}
