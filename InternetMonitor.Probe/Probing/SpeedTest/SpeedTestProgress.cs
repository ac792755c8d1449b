namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// Where a run is, for a live display: reported after each idle round trip and each timed round, with the
/// direction's estimate so far (BytesPerSecond, null while measuring latency).
/// </summary>
public sealed record SpeedTestProgress(SpeedTestPhase Phase, double? BytesPerSecond, TimeSpan? Latency, long BytesUsed, int Streams, long RequestBytes);
