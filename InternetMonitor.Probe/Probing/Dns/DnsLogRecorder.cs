using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Probing.Dns;

public sealed partial class DnsLogRecorder(ILogger<DnsLogRecorder> logger) : IRecorder<DnsResult>
{
    public void Record(DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Reason is { } reason)
        {
            LogFailed(logger, result.Query.Name, result.Query.Server, reason, result.Duration.TotalMilliseconds, result.Detail);
        }
        else
        {
            LogResolved(logger, result.Query.Name, result.Query.Server, result.Answers, result.Duration.TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS {Name} via {Server} failed: {Reason} after {DurationMs:0.0} ms ({Detail})")]
    private static partial void LogFailed(ILogger logger, string name, string server, string reason, double durationMs, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS {Name} via {Server}: {Answers} answer(s) in {DurationMs:0.000} ms")]
    private static partial void LogResolved(ILogger logger, string name, string server, int answers, double durationMs);
}
