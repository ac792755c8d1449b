using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Probing.SpeedTest;

public sealed partial class SpeedTestLogRecorder(ILogger<SpeedTestLogRecorder> logger) : IRecorder<SpeedTestResult>
{
    public void Record(SpeedTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var download = result.BytesUsed(SpeedTestDirection.Download);
        var upload = result.BytesUsed(SpeedTestDirection.Upload);
        if (result.Reason is { } reason)
        {
            LogFailed(logger, result.Server, result.FailedIn?.Label(), reason, result.Detail, download, upload);
            return;
        }

        LogSucceeded(logger, result.Server,
            Megabits(result.Download?.BytesPerSecond), Megabits(result.Upload?.BytesPerSecond),
            Milliseconds(result.Idle.Median), Milliseconds(result.Download?.Loaded.Median), Milliseconds(result.Upload?.Loaded.Median),
            download, upload);
    }

    private static double? Megabits(double? bytesPerSecond) => bytesPerSecond * 8 / 1e6;

    private static double? Milliseconds(TimeSpan? value) => value?.TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speed test against {Server} failed in the {Phase} phase: {Reason}: {Detail} ({DownloadBytes} bytes down, {UploadBytes} up)")]
    private static partial void LogFailed(ILogger logger, string server, string? phase, string reason, string? detail, long downloadBytes, long uploadBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Speed test against {Server}: download {DownloadMbps:0.00} Mbit/s, upload {UploadMbps:0.00} Mbit/s, latency idle {IdleMs:0.0} ms, under download {DownloadLoadedMs:0.0} ms, under upload {UploadLoadedMs:0.0} ms ({DownloadBytes} bytes down, {UploadBytes} up)")]
    private static partial void LogSucceeded(ILogger logger, string server, double? downloadMbps, double? uploadMbps, double? idleMs, double? downloadLoadedMs, double? uploadLoadedMs, long downloadBytes, long uploadBytes);
}
