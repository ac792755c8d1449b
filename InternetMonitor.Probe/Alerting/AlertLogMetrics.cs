using InternetMonitor.Probe.Recording;
using Prometheus;

namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// Counts the alerts Alertmanager delivered to the probe (each firing and each resolution once) and the notifications
/// it refused. The alert name comes from the sender: past <see cref="MaxAlertNames"/> distinct names, further ones
/// are counted as <c>other</c>, so that no client can grow /metrics without bound.
/// </summary>
public sealed class AlertLogMetrics : IRecorder<AlertNotification>
{
    public const int MaxAlertNames = 100;
    public const int MaxAlertNameLength = 100;
    public const string Invalid = "invalid";
    public const string TooLarge = "too_large";
    public const string Unauthorized = "unauthorized";
    public const string NotKept = "not_kept";

    private readonly Counter _received;
    private readonly Counter _rejected;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public AlertLogMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _received = factory.CreateCounter(
            "internet_monitor_alerts_received_total",
            "Alerts received from Alertmanager on /api/alerts, each firing and each resolution once, by alert name and status (firing, resolved).",
            ["alertname", "status"]);
        _rejected = factory.CreateCounter(
            "internet_monitor_alert_notifications_rejected_total",
            "Notifications posted to /api/alerts and refused, by reason (invalid, too_large, unauthorized, not_kept: answered 503 while the history cannot keep them).",
            ["reason"]);
        foreach (var reason in (string[])[Invalid, TooLarge, Unauthorized, NotKept])
        {
            _rejected.WithLabels(reason);
        }
    }

    public void Rejected(string reason) => _rejected.WithLabels(reason).Inc();

    public void Record(AlertNotification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _received.WithLabels(Label(result.AlertName), result.Status).Inc();
    }

    private string Label(string name)
    {
        lock (_lock)
        {
            if (_names.Contains(name))
            {
                return name;
            }

            if (_names.Count < MaxAlertNames && name.Length <= MaxAlertNameLength)
            {
                _names.Add(name);
                return name;
            }

            return "other";
        }
    }
}
