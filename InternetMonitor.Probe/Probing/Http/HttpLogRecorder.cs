using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>
/// Every probe at Debug; at Information and above, only changes (<see cref="ChangeLog{TKey}"/>): a URL that starts
/// failing is one warning, a reminder every <c>Monitor:Logging:RepeatEvery</c>, one line when it answers again.
/// </summary>
public sealed partial class HttpLogRecorder(ILogger<HttpLogRecorder> logger, TimeProvider time, IOptions<LoggingOptions> options) : IRecorder<HttpResult>
{
    private readonly ChangeLog<string> _changes = new(time, options.Value.RepeatEvery);

    public void Record(HttpResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var target = result.Target.Name;
        if (result.Reason is { } reason)
        {
            var phase = result.FailedIn?.ToString().ToLowerInvariant();
            LogFailed(logger, target, reason, phase, result.StatusCode, result.Total.TotalMilliseconds, result.Detail);
            var line = _changes.Failed(target, reason);
            switch (line.Kind)
            {
                case ChangeKind.Failing:
                    LogFailing(logger, target, reason, phase, result.Detail, line.Notes());
                    break;
                case ChangeKind.StillFailing:
                    LogStillFailing(logger, target, ChangeLine.Describe(line.For), line.Attempts, line.Since, reason, phase, result.Detail, line.Notes());
                    break;
            }

            return;
        }

        LogSucceeded(logger, target, result.StatusCode, result.Version, result.Total.TotalMilliseconds, result.PhaseSummary());
        var change = _changes.Succeeded(target);
        switch (change.Kind)
        {
            case ChangeKind.Recovered:
                LogRecovered(logger, target, ChangeLine.Describe(change.For), change.Attempts, change.Since, change.Reason, result.StatusCode);
                break;
            case ChangeKind.Flapped:
                LogFlapped(logger, target, change.Folded, change.Attempts, ChangeLine.Describe(change.For), change.Reason);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Target} failed: {Reason} in the {Phase} phase (status {Status}) after {TotalMs:0.0} ms: {Detail}")]
    private static partial void LogFailed(ILogger logger, string target, string reason, string? phase, int? status, double totalMs, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Target}: status {Status} over HTTP/{Version} in {TotalMs:0.000} ms ({Phases})")]
    private static partial void LogSucceeded(ILogger logger, string target, int? status, string? version, double totalMs, string phases);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP {Target} failing: {Reason} in the {Phase} phase: {Detail}{Notes}")]
    private static partial void LogFailing(ILogger logger, string target, string reason, string? phase, string? detail, string notes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP {Target} still failing after {FailingFor}: {Attempts} attempt(s) failed since {Since:o}, the last {Reason} in the {Phase} phase: {Detail}{Notes}")]
    private static partial void LogStillFailing(ILogger logger, string target, string failingFor, int attempts, DateTimeOffset since, string reason, string? phase, string? detail, string notes);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Target} answers again (status {Status}) after {FailingFor}: {Attempts} attempt(s) failed since {Since:o}, the last {Reason}")]
    private static partial void LogRecovered(ILogger logger, string target, string failingFor, int attempts, DateTimeOffset since, string? reason, int? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Target} answers, but failed and recovered {Failures} time(s) in the last {Window} ({Attempts} attempt(s) failed, the last {Reason})")]
    private static partial void LogFlapped(ILogger logger, string target, int failures, int attempts, string window, string? reason);
}
