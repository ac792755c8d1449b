using InternetMonitor.Probe.Recording;
using Prometheus;

namespace InternetMonitor.Probe.Alerting;

/// <summary>Counts the alerts Alertmanager delivered to the probe, and the notifications it refused.</summary>
public sealed class AlertLogMetrics(IMetricFactory factory) : IRecorder<AlertNotification>
{
    private readonly Counter _received = factory.CreateCounter(
        "internet_monitor_alert_notifications_total",
        "Alerts received from Alertmanager on /api/alerts, by alert name and status (firing, resolved).",
        ["alertname", "status"]);

    public Counter Rejected { get; } = factory.CreateCounter(
        "internet_monitor_alert_notifications_rejected_total",
        "Notifications posted to /api/alerts and refused, by reason (invalid, unauthorized).",
        ["reason"]);

    public void Record(AlertNotification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _received.WithLabels(result.AlertName, result.Status).Inc();
    }
}
