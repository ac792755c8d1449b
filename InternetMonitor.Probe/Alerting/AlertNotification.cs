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
            if (alert is null)
            {
                return ([], "an alert is null");
            }

            var status = alert.Status ?? webhook.Status;
            if (status is not (Firing or Resolved))
            {
                return ([], $"an alert's status must be \"{Firing}\" or \"{Resolved}\" (got \"{status}\")");
            }

            var labels = WithoutNulls(alert.Labels);
            if (!labels.TryGetValue("alertname", out var name) || string.IsNullOrWhiteSpace(name))
            {
                return ([], "an alert has no alertname label");
            }

            var annotations = WithoutNulls(alert.Annotations);
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

    /// <summary>Whether <paramref name="other"/> is this alert again: Alertmanager repeats a group's alerts in every notification.</summary>
    public bool SameAs(AlertNotification other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Fingerprint == other.Fingerprint && Status == other.Status && StartsAt == other.StartsAt && AlertName == other.AlertName;
    }

    // JSON may carry null where a string belongs: such a label or annotation is left out.
    private static Dictionary<string, string> WithoutNulls(IReadOnlyDictionary<string, string?>? values) =>
        values?.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.Ordinal) ?? [];
}
