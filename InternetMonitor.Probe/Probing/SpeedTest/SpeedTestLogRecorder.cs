using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// Every finished test at Information with its figures; a failure is a warning when it starts failing and then a
/// reminder every <c>Monitor:Logging:RepeatEvery</c> at most (<see cref="ChangeLog{TKey}"/>), each failed run at Debug.
/// </summary>
public sealed partial class SpeedTestLogRecorder(ILogger<SpeedTestLogRecorder> logger, TimeProvider time, IOptions<LoggingOptions> options) : IRecorder<SpeedTestResult>
{
    private readonly ChangeLog<string> _changes = new(time, options.Value.RepeatEvery);

    public void Record(SpeedTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var download = result.BytesUsed(SpeedTestDirection.Download);
        var upload = result.BytesUsed(SpeedTestDirection.Upload);
        if (result.Reason is { } reason)
        {
            var phase = result.FailedIn?.Label();
            LogFailed(logger, result.Server, phase, reason, result.Detail, download, upload);
            var line = _changes.Failed(result.Server, reason);
            switch (line.Kind)
            {
                case ChangeKind.Failing:
                    LogFailing(logger, result.Server, phase, reason, result.Detail, line.Notes());
                    break;
                case ChangeKind.StillFailing:
                    LogStillFailing(logger, result.Server, ChangeLine.Describe(line.For), line.Attempts, line.Since, reason, phase, result.Detail, line.Notes());
                    break;
            }

            return;
        }

        var change = _changes.Succeeded(result.Server);
        if (change.Kind == ChangeKind.Recovered)
        {
            LogRecovered(logger, result.Server, ChangeLine.Describe(change.For), change.Attempts, change.Since, change.Reason);
        }

        LogSucceeded(logger, result.Server,
            Megabits(result.Download?.BytesPerSecond), Megabits(result.Upload?.BytesPerSecond),
            Milliseconds(result.Idle.Median), Milliseconds(result.Download?.Loaded.Median), Milliseconds(result.Upload?.Loaded.Median),
            download, upload);
    }

    private static double? Megabits(double? bytesPerSecond) => bytesPerSecond * 8 / 1e6;

    private static double? Milliseconds(TimeSpan? value) => value?.TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Speed test against {Server} failed in the {Phase} phase: {Reason}: {Detail} ({DownloadBytes} bytes down, {UploadBytes} up)")]
    private static partial void LogFailed(ILogger logger, string server, string? phase, string reason, string? detail, long downloadBytes, long uploadBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speed test against {Server} failing in the {Phase} phase: {Reason}: {Detail}{Notes}")]
    private static partial void LogFailing(ILogger logger, string server, string? phase, string reason, string? detail, string notes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speed test against {Server} still failing after {FailingFor}: {Attempts} run(s) failed since {Since:o}, the last {Reason} in the {Phase} phase: {Detail}{Notes}")]
    private static partial void LogStillFailing(ILogger logger, string server, string failingFor, int attempts, DateTimeOffset since, string reason, string? phase, string? detail, string notes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Speed test against {Server} works again after {FailingFor}: {Attempts} run(s) failed since {Since:o}, the last {Reason}")]
    private static partial void LogRecovered(ILogger logger, string server, string failingFor, int attempts, DateTimeOffset since, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Speed test against {Server}: download {DownloadMbps:0.00} Mbit/s, upload {UploadMbps:0.00} Mbit/s, latency idle {IdleMs:0.0} ms, under download {DownloadLoadedMs:0.0} ms, under upload {UploadLoadedMs:0.0} ms ({DownloadBytes} bytes down, {UploadBytes} up)")]
    private static partial void LogSucceeded(ILogger logger, string server, double? downloadMbps, double? uploadMbps, double? idleMs, double? downloadLoadedMs, double? uploadLoadedMs, long downloadBytes, long uploadBytes);
}
