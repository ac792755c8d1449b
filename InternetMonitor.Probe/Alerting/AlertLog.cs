using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Alerting;

/// <summary>The most recent received alerts, newest first, up to <see cref="AlertLogOptions.Capacity"/>.</summary>
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

    public IReadOnlyList<AlertNotification> Recent(int limit)
    {
        lock (_lock)
        {
            return _alerts.Take(limit).ToArray();
        }
    }
}
