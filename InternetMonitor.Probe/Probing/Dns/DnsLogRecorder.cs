using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Dns;

/// <summary>
/// Every query at Debug; at Information and above, only changes (<see cref="ChangeLog{TKey}"/>): a name that stops
/// resolving through a server is one warning, a reminder every <c>Monitor:Logging:RepeatEvery</c>, one line when it
/// resolves again.
/// </summary>
public sealed partial class DnsLogRecorder(ILogger<DnsLogRecorder> logger, TimeProvider time, IOptions<LoggingOptions> options) : IRecorder<DnsResult>
{
    private readonly ChangeLog<(string Server, string Name, DnsRecordType Type)> _changes = new(time, options.Value.RepeatEvery);

    public void Record(DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var query = result.Query;
        var key = (query.Server, query.Name, query.Type);
        if (result.Reason is { } reason)
        {
            LogFailed(logger, query.Name, query.Server, reason, result.Duration.TotalMilliseconds, result.Detail);
            var line = _changes.Failed(key, reason);
            switch (line.Kind)
            {
                case ChangeKind.Failing:
                    LogFailing(logger, query.Name, query.Server, reason, result.Detail, line.Notes());
                    break;
                case ChangeKind.StillFailing:
                    LogStillFailing(logger, query.Name, query.Server, ChangeLine.Describe(line.For), line.Attempts, line.Since, reason, result.Detail, line.Notes());
                    break;
            }

            return;
        }

        LogResolved(logger, query.Name, query.Server, result.Answers, result.Duration.TotalMilliseconds);
        var change = _changes.Succeeded(key);
        switch (change.Kind)
        {
            case ChangeKind.Recovered:
                LogRecovered(logger, query.Name, query.Server, ChangeLine.Describe(change.For), change.Attempts, change.Since, change.Reason);
                break;
            case ChangeKind.Flapped:
                LogFlapped(logger, query.Name, query.Server, change.Folded, change.Attempts, ChangeLine.Describe(change.For), change.Reason);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS {Name} via {Server} failed: {Reason} after {DurationMs:0.0} ms ({Detail})")]
    private static partial void LogFailed(ILogger logger, string name, string server, string reason, double durationMs, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS {Name} via {Server}: {Answers} answer(s) in {DurationMs:0.000} ms")]
    private static partial void LogResolved(ILogger logger, string name, string server, int answers, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS {Name} via {Server} failing: {Reason} ({Detail}){Notes}")]
    private static partial void LogFailing(ILogger logger, string name, string server, string reason, string? detail, string notes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS {Name} via {Server} still failing after {FailingFor}: {Attempts} attempt(s) failed since {Since:o}, the last {Reason} ({Detail}){Notes}")]
    private static partial void LogStillFailing(ILogger logger, string name, string server, string failingFor, int attempts, DateTimeOffset since, string reason, string? detail, string notes);

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS {Name} via {Server} resolves again after {FailingFor}: {Attempts} attempt(s) failed since {Since:o}, the last {Reason}")]
    private static partial void LogRecovered(ILogger logger, string name, string server, string failingFor, int attempts, DateTimeOffset since, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS {Name} via {Server} resolves, but failed and recovered {Failures} time(s) in the last {Window} ({Attempts} attempt(s) failed, the last {Reason})")]
    private static partial void LogFlapped(ILogger logger, string name, string server, int failures, int attempts, string window, string? reason);
}
