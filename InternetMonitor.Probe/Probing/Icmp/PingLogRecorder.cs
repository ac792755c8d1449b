using System.Collections.Concurrent;
using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Logs changes, not packets: a target whose loss over <c>Monitor:Icmp:StatisticsWindow</c> rises above
/// <c>Monitor:Logging:LossAbove</c> is one warning, a reminder every <c>Monitor:Logging:RepeatEvery</c> while it stays
/// above, one line when it falls back (<see cref="ChangeLog{TKey}"/>); each lost or late echo is at Debug. An
/// hour-long outage is a few lines, not 3600, and one echo lost now and then is none.
/// </summary>
public sealed partial class PingLogRecorder(ILogger<PingLogRecorder> logger, TimeProvider time, IOptions<LoggingOptions> logging, IOptions<IcmpOptions> icmp)
    : IRecorder<PingResult>, IRecorder<LateReply>
{
    private readonly ChangeLog<string> _changes = new(time, logging.Value.RepeatEvery);
    private readonly ConcurrentDictionary<string, Loss> _losses = new(StringComparer.Ordinal);
    private readonly double _limit = logging.Value.LossAbove;
    private readonly string _window = ChangeLine.Describe(icmp.Value.StatisticsWindow);

    public void Record(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var target = result.Target.ToString();
        var loss = _losses.GetOrAdd(result.Target.Name, _ => new Loss(new PingStatistics(icmp.Value.StatisticsWindow)));
        lock (loss)
        {
            loss.Statistics.Add(result);
            if (!result.Succeeded)
            {
                loss.Reason = result.Outcome.Reason();
                loss.Detail = result.Detail;
                LogLost(logger, target, result.Sequence, loss.Reason, result.Detail);
            }

            var sent = loss.Statistics.SentInWindow;
            var lost = loss.Statistics.LostInWindow;
            var ratio = loss.Statistics.LossRatio ?? 0;
            if (ratio > _limit)
            {
                var line = _changes.Failed(result.Target.Name, loss.Reason ?? "timeout");
                switch (line.Kind)
                {
                    case ChangeKind.Failing:
                        LogLosing(logger, target, lost, sent, _window, ratio * 100, _limit * 100, line.Reason, loss.Detail, line.Notes());
                        break;
                    case ChangeKind.StillFailing:
                        LogStillLosing(logger, target, ChangeLine.Describe(line.For), lost, sent, _window, ratio * 100, _limit * 100, line.Since, line.Reason, line.Notes());
                        break;
                }

                return;
            }

            var change = _changes.Succeeded(result.Target.Name);
            switch (change.Kind)
            {
                case ChangeKind.Recovered:
                    LogBack(logger, target, ratio * 100, lost, sent, _window, ChangeLine.Describe(change.For), _limit * 100, change.Since);
                    break;
                case ChangeKind.Flapped:
                    LogFlapped(logger, target, ratio * 100, _limit * 100, change.Folded, ChangeLine.Describe(change.For), change.Reason);
                    break;
            }
        }
    }

    public void Record(LateReply result)
    {
        ArgumentNullException.ThrowIfNull(result);
        LogLate(logger, result.Target.ToString(), result.Sequence, result.RoundTripTime.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Echo {Sequence} to {Target} lost ({Reason}: {Detail})")]
    private static partial void LogLost(ILogger logger, string target, ushort sequence, string reason, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} losing echoes: {Lost} of {Sent} lost in the last {Window} ({LossPercent:0.#} %, above {LimitPercent:0.#} %), the last {Reason}: {Detail}{Notes}")]
    private static partial void LogLosing(ILogger logger, string target, int lost, int sent, string window, double lossPercent, double limitPercent, string? reason, string? detail, string notes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} still losing echoes after {FailingFor}: {Lost} of {Sent} lost in the last {Window} ({LossPercent:0.#} %), above {LimitPercent:0.#} % since {Since:o}, the last {Reason}{Notes}")]
    private static partial void LogStillLosing(ILogger logger, string target, string failingFor, int lost, int sent, string window, double lossPercent, double limitPercent, DateTimeOffset since, string? reason, string notes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} loss back to {LossPercent:0.#} % ({Lost} of {Sent} in the last {Window}) after {FailingFor} above {LimitPercent:0.#} % since {Since:o}")]
    private static partial void LogBack(ILogger logger, string target, double lossPercent, int lost, int sent, string window, string failingFor, double limitPercent, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} loss at {LossPercent:0.#} %, but it rose above {LimitPercent:0.#} % and fell back {Failures} time(s) in the last {Window} (the last loss {Reason})")]
    private static partial void LogFlapped(ILogger logger, string target, double lossPercent, double limitPercent, int failures, string window, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Late reply from {Target} to echo {Sequence} after {RttMs:0.000} ms")]
    private static partial void LogLate(ILogger logger, string target, ushort sequence, double rttMs);

    /// <summary>One target's loss window and its latest lost echo's reason; callers lock it.</summary>
    private sealed class Loss(PingStatistics statistics)
    {
        public PingStatistics Statistics { get; } = statistics;

        public string? Reason { get; set; }

        public string? Detail { get; set; }
    }
}
