using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.Probing.SpeedTest.Command;

/// <summary>The one JSON document <c>speedtest --json</c> prints: base units (bytes, seconds) and bits per second for the speeds.</summary>
public sealed record SpeedTestReport(
    string Server,
    string ServerType,
    string Url,
    DateTimeOffset Start,
    DateTimeOffset End,
    bool Succeeded,
    string? Reason,
    string? FailedIn,
    string? Detail,
    LatencyReport IdleLatency,
    DirectionReport? Download,
    DirectionReport? Upload,
    BytesReport BytesUsed)
{
    public static SpeedTestReport From(SpeedTestResult result, string url)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(
            result.Server,
            result.ServerType.ToString().ToLowerInvariant(),
            url,
            result.Start,
            result.End,
            result.Succeeded,
            result.Reason,
            result.FailedIn?.Label(),
            result.Detail,
            LatencyReport.From(result.Idle),
            DirectionReport.From(result.Download, result.Idle),
            DirectionReport.From(result.Upload, result.Idle),
            new BytesReport(result.BytesUsed(SpeedTestDirection.Download), result.BytesUsed(SpeedTestDirection.Upload)));
    }
}

public sealed record LatencyReport(double? MedianSeconds, double? JitterSeconds, int Samples)
{
    public static LatencyReport From(LatencySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.Median?.TotalSeconds, summary.Jitter?.TotalSeconds, summary.Count);
    }
}

public sealed record DirectionReport(
    double? BytesPerSecond,
    double? BitsPerSecond,
    int Streams,
    long BytesUsed,
    LatencyReport LoadedLatency,
    double? LatencyIncreaseSeconds,
    double? RoundTripsPerMinute,
    string? Reason,
    string? Detail,
    IReadOnlyList<RoundReport> Rounds)
{
    public static DirectionReport? From(DirectionResult? result, LatencySummary idle) => result is null
        ? null
        : new(
            result.BytesPerSecond,
            result.BytesPerSecond * 8,
            result.Streams,
            result.BytesUsed,
            LatencyReport.From(result.Loaded),
            result.LatencyIncrease(idle)?.TotalSeconds,
            result.RoundTripsPerMinute,
            result.Reason,
            result.Detail,
            [.. result.Samples.Select(sample => new RoundReport(sample.RequestBytes, sample.Streams, sample.Bytes, sample.Duration.TotalSeconds, sample.BytesPerSecond))]);
}

public sealed record RoundReport(long RequestBytes, int Streams, long Bytes, double Seconds, double BytesPerSecond);

public sealed record BytesReport(long Download, long Upload)
{
    public long Total => Download + Upload;
}

[JsonSerializable(typeof(SpeedTestReport))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class SpeedTestReportJsonContext : JsonSerializerContext;
