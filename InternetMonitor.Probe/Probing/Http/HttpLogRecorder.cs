using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Probing.Http;

public sealed partial class HttpLogRecorder(ILogger<HttpLogRecorder> logger) : IRecorder<HttpResult>
{
    public void Record(HttpResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var phase = result.FailedIn?.ToString().ToLowerInvariant();
        if (result.Reason is { } reason)
        {
            LogFailed(logger, result.Target.Name, reason, phase, result.StatusCode, result.Total.TotalMilliseconds, result.Detail);
        }
        else
        {
            LogSucceeded(logger, result.Target.Name, result.StatusCode, result.Version, result.Total.TotalMilliseconds, result.PhaseSummary());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP {Target} failed: {Reason} in the {Phase} phase (status {Status}) after {TotalMs:0.0} ms: {Detail}")]
    private static partial void LogFailed(ILogger logger, string target, string reason, string? phase, int? status, double totalMs, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Target}: status {Status} over HTTP/{Version} in {TotalMs:0.000} ms ({Phases})")]
    private static partial void LogSucceeded(ILogger logger, string target, int? status, string? version, double totalMs, string phases);
}
