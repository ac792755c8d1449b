using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Outages;

/// <summary>One line when an outage starts, one when it ends, with its times, duration and cause.</summary>
public sealed partial class OutageLogRecorder(ILogger<OutageLogRecorder> logger) : IRecorder<OutageEvent>
{
    public void Record(OutageEvent result)
    {
        switch (result)
        {
            case OutageStarted started:
                LogStarted(logger, ConnectivityMetrics.Label(started.Cause), started.Start, started.DeclaredAt);
                break;
            case OutageEnded ended:
                LogEnded(logger, ConnectivityMetrics.Label(ended.Cause), ended.Start, ended.End, ended.Duration.TotalSeconds);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Internet DOWN (cause {Cause}) since {Start:o}, declared at {DeclaredAt:o}")]
    private static partial void LogStarted(ILogger logger, string cause, DateTimeOffset start, DateTimeOffset declaredAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Internet UP again: outage (cause {Cause}) from {Start:o} to {End:o} lasted {DurationSeconds:0.0} s")]
    private static partial void LogEnded(ILogger logger, string cause, DateTimeOffset start, DateTimeOffset end, double durationSeconds);
}
