namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// One alert as the probe received it from Alertmanager: firing or resolved, its name, severity, labels and
/// the texts the rule wrote. <see cref="EndsAt"/> is null while Alertmanager has not set an end.
/// </summary>
public sealed record AlertNotification(
    DateTimeOffset ReceivedAt,
    string Receiver,
    string Status,
    string AlertName,
    string Severity,
    string Summary,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string Fingerprint,
    IReadOnlyDictionary<string, string> Labels)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";

    /// <summary>
    /// The alerts of one webhook body, or the reason it cannot be one: a notification must say firing or
    /// resolved and name every alert, or nothing of it is kept.
    /// </summary>
    public static (IReadOnlyList<AlertNotification> Alerts, string? Problem) From(AlertmanagerWebhook webhook, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (webhook.Alerts is not { Count: > 0 } alerts)
        {
            return ([], "the notification has no alerts");
        }

        var result = new List<AlertNotification>(alerts.Count);
        foreach (var alert in alerts)
        {
            var status = alert.Status ?? webhook.Status;
            if (status is not (Firing or Resolved))
            {
                return ([], $"an alert's status must be \"{Firing}\" or \"{Resolved}\" (got \"{status}\")");
            }

            var labels = alert.Labels ?? new Dictionary<string, string>();
            if (!labels.TryGetValue("alertname", out var name) || string.IsNullOrWhiteSpace(name))
            {
                return ([], "an alert has no alertname label");
            }

            var annotations = alert.Annotations ?? new Dictionary<string, string>();
            result.Add(new AlertNotification(
                receivedAt,
                webhook.Receiver ?? string.Empty,
                status,
                name,
                labels.GetValueOrDefault("severity", string.Empty),
                annotations.GetValueOrDefault("summary", string.Empty),
                annotations.GetValueOrDefault("description", string.Empty),
                alert.StartsAt,
                alert.EndsAt.Year <= 1 ? null : alert.EndsAt,
                alert.Fingerprint ?? string.Empty,
                labels));
        }

        return (result, null);
    }
}
