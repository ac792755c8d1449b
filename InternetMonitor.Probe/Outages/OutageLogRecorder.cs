using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Outages;

/// <summary>
/// One line when an outage starts, one when it ends, with its times, duration and cause; while it lasts, a reminder
/// every <c>Monitor:Logging:RepeatEvery</c>, timed by the echoes that keep arriving (one a second per target).
/// </summary>
public sealed partial class OutageLogRecorder(ILogger<OutageLogRecorder> logger, TimeProvider time, IOptions<LoggingOptions> options)
    : IRecorder<OutageEvent>, IRecorder<PingResult>
{
    private readonly TimeSpan _repeatEvery = options.Value.RepeatEvery;
    private readonly Lock _lock = new();
    private Down? _down;

    public void Record(OutageEvent result)
    {
        switch (result)
        {
            case OutageStarted started:
                lock (_lock)
                {
                    var now = time.GetTimestamp();
                    _down = new Down(started, now) { LastLine = now };
                }

                LogStarted(logger, ConnectivityMetrics.Label(started.Cause), started.Start, started.DeclaredAt);
                break;
            case OutageEnded ended:
                lock (_lock)
                {
                    _down = null;
                }

                LogEnded(logger, ConnectivityMetrics.Label(ended.Cause), ended.Start, ended.End, ended.Duration.TotalSeconds);
                break;
        }
    }

    public void Record(PingResult result)
    {
        OutageStarted started;
        TimeSpan lasted;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_down is not { } down || time.GetElapsedTime(down.LastLine, now) < _repeatEvery)
            {
                return;
            }

            down.LastLine = now;
            started = down.Started;

            // The detector declared it DownAfter (or more) after its start; from there on, the monotonic clock.
            lasted = (started.DeclaredAt - started.Start) + time.GetElapsedTime(down.DeclaredAt, now);
        }

        LogStillDown(logger, ConnectivityMetrics.Label(started.Cause), started.Start, ChangeLine.Describe(lasted));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Internet DOWN (cause {Cause}) since {Start:o}, declared at {DeclaredAt:o}")]
    private static partial void LogStarted(ILogger logger, string cause, DateTimeOffset start, DateTimeOffset declaredAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Internet still DOWN (cause {Cause}) since {Start:o}: {Lasted} so far")]
    private static partial void LogStillDown(ILogger logger, string cause, DateTimeOffset start, string lasted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Internet UP again: outage (cause {Cause}) from {Start:o} to {End:o} lasted {DurationSeconds:0.0} s")]
    private static partial void LogEnded(ILogger logger, string cause, DateTimeOffset start, DateTimeOffset end, double durationSeconds);

    /// <summary>The outage going on: its start event, when this recorder heard of it, and its last line (monotonic).</summary>
    private sealed class Down(OutageStarted started, long declaredAt)
    {
        public OutageStarted Started { get; } = started;

        public long DeclaredAt { get; } = declaredAt;

        public long LastLine { get; set; }
    }
}
