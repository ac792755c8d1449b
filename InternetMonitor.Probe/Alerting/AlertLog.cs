using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// The most recent received alerts, newest first, up to <see cref="AlertLogOptions.Capacity"/>: each firing and each
/// resolution once, however often Alertmanager repeats it in later notifications of its group.
/// </summary>
public sealed class AlertLog(IOptions<AlertLogOptions> options) : IRecorder<AlertNotification>
{
    private readonly LinkedList<AlertNotification> _alerts = new();
    private readonly Lock _lock = new();

    public void Record(AlertNotification result)
    {
        lock (_lock)
        {
            _alerts.AddFirst(result);
            while (_alerts.Count > options.Value.Capacity)
            {
                _alerts.RemoveLast();
            }
        }
    }

    /// <summary>Whether the log already holds this alert with this status since this start (a repeat).</summary>
    public bool Holds(AlertNotification alert)
    {
        lock (_lock)
        {
            return _alerts.Any(kept => kept.SameAs(alert));
        }
    }

    public IReadOnlyList<AlertNotification> Recent(int limit)
    {
        lock (_lock)
        {
            return _alerts.Take(limit).ToArray();
        }
    }
}
