using System.Collections.Concurrent;
using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Logs changes, not packets: a target that stops answering is one line (with the reason), its return is
/// another (with how many echoes were lost), so an hour-long outage is two lines, not 3600.
/// </summary>
public sealed partial class PingLogRecorder(ILogger<PingLogRecorder> logger) : IRecorder<PingResult>, IRecorder<LateReply>
{
    private readonly ConcurrentDictionary<string, int> _lostInARow = new(StringComparer.Ordinal);

    public void Record(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var name = result.Target.Name;
        if (result.Succeeded)
        {
            if (_lostInARow.TryRemove(name, out var lost))
            {
                LogAnswering(logger, result.Target.ToString(), lost, result.RoundTripTime!.Value.TotalMilliseconds);
            }

            return;
        }

        if (_lostInARow.AddOrUpdate(name, 1, (_, count) => count + 1) == 1)
        {
            LogLost(logger, result.Target.ToString(), result.Sequence, result.Outcome.Reason(), result.Detail);
        }
    }

    public void Record(LateReply result)
    {
        ArgumentNullException.ThrowIfNull(result);
        LogLate(logger, result.Target.ToString(), result.Sequence, result.RoundTripTime.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} stopped answering: echo {Sequence} lost ({Reason}: {Detail})")]
    private static partial void LogLost(ILogger logger, string target, ushort sequence, string reason, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} answers again after {Lost} lost echo(es); RTT {RttMs:0.000} ms")]
    private static partial void LogAnswering(ILogger logger, string target, int lost, double rttMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Late reply from {Target} to echo {Sequence} after {RttMs:0.000} ms")]
    private static partial void LogLate(ILogger logger, string target, ushort sequence, double rttMs);
}
