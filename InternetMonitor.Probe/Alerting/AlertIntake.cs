using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// Decides which alerts of a notification are new and hands only those on, one notification at a time: an alert is new
/// when neither the history (which outlives a restart) nor the recent log (which holds what a failing database has not
/// taken yet) holds it, so that each firing and each resolution is kept, counted and logged once however often
/// Alertmanager repeats or re-sends it.
/// </summary>
public sealed partial class AlertIntake(AlertLog log, HistoryReader history, ResultPublisher<AlertNotification> publisher, ILogger<AlertIntake> logger) : IDisposable
{
    // One notification at a time, so that the same alert posted twice at once is not new to both.
    private readonly SemaphoreSlim _one = new(1, 1);
    private string? _lastFailure;

    /// <summary>Publishes the new alerts of <paramref name="alerts"/>, in order; returns how many were new.</summary>
    public async Task<int> ReceiveAsync(IReadOnlyList<AlertNotification> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var published = 0;
            var kept = HistoryHolds(alerts);
            for (var i = 0; i < alerts.Count; i++)
            {
                if (kept[i] || log.Holds(alerts[i]))
                {
                    continue;
                }

                // Kept, then reported (the alert log among the recorders), before the next: a second copy in the same notification is held.
                await publisher.PublishAsync(alerts[i]).ConfigureAwait(false);
                published++;
            }

            return published;
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();

    /// <summary>Which of the alerts the history holds; while it cannot be read, none (the recent log decides alone).</summary>
    private bool[] HistoryHolds(IReadOnlyList<AlertNotification> alerts)
    {
        if (!history.Enabled)
        {
            return new bool[alerts.Count];
        }

        try
        {
            var holds = history.Holds(alerts);
            _lastFailure = null;
            return holds;
        }
        catch (HistoryException exception)
        {
            if (_lastFailure != exception.Reason)
            {
                _lastFailure = exception.Reason;
                LogHistoryUnread(logger, exception.Reason);
            }

            return new bool[alerts.Count];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: the history cannot be read ({Reason}); repeats are recognised by the recent alerts alone until it can")]
    private static partial void LogHistoryUnread(ILogger logger, string reason);
}
