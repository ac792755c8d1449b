namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// One direction of a run: its speed (null when it failed), the rounds it timed, the latency while loaded.
/// BytesUsed counts every body byte moved in this direction, failed and cut-off requests included; Streams is
/// the number of parallel streams of the last round; Reason is one of <see cref="SpeedTestFailureReason"/>, or
/// null when the direction has a speed.
/// </summary>
public sealed record DirectionResult(
    SpeedTestDirection Direction,
    double? BytesPerSecond,
    IReadOnlyList<TransferSample> Samples,
    long BytesUsed,
    int Streams,
    LatencySummary Loaded,
    string? Reason,
    string? Detail)
{
    public bool Succeeded => Reason is null && BytesPerSecond is not null;

    /// <summary>Bytes moved inside the timed windows of all rounds (what the old download/upload size meant).</summary>
    public long TimedBytes => Samples.Sum(sample => sample.Bytes);

    /// <summary>The timed windows of all rounds, added up (what the old download/upload duration meant).</summary>
    public TimeSpan TimedDuration => Samples.Aggregate(TimeSpan.Zero, (sum, sample) => sum + sample.Duration);

    /// <summary>How much the median round trip grew under this direction's load (bufferbloat).</summary>
    public TimeSpan? LatencyIncrease(LatencySummary idle)
    {
        ArgumentNullException.ThrowIfNull(idle);
        return Loaded.Median is { } loaded && idle.Median is { } unloaded ? loaded - unloaded : null;
    }

    /// <summary>
    /// Round trips per minute under load (60 s / the loaded median round trip): the "RPM" of the IETF
    /// responsiveness draft and Apple's networkQuality. Higher is better; a line that bloats to 1 s reads 60.
    /// </summary>
    public double? RoundTripsPerMinute => Loaded.Median is { } loaded && loaded > TimeSpan.Zero ? 60 / loaded.TotalSeconds : null;
}
