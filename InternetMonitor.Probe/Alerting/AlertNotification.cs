using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using InternetMonitor.Probe.Hosting;

namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// One alert as the probe received it from Alertmanager: firing or resolved, its name, severity, labels and
/// the texts the rule wrote. <see cref="EndsAt"/> is null while Alertmanager has not set an end. Every text comes from
/// the sender: it is kept cleaned (<see cref="ClientText"/>) and capped, so that no notification can put control
/// characters or an endless line into a log, a metric label or a page.
/// </summary>
public sealed record AlertNotification(
    DateTimeOffset ReceivedAt,
    string Receiver,
    [property: AllowedValues("firing", "resolved")] string Status,
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

    /// <summary>The longest name, severity, receiver or label name kept; longer ones are cut.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest summary or label value kept.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The longest description kept (line breaks in it kept too).</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>The most labels kept of one alert (alertname and severity, then the first by name); Alertmanager's own alerts carry a handful.</summary>
    public const int MaxLabels = 64;

    /// <summary>
    /// What tells this alert apart from every other (with its status and start): Alertmanager's fingerprint, a hash of
    /// its labels; without one, the labels themselves (alertname among them), in name order. The prefixes keep a
    /// fingerprint, which is the sender's text, from ever equalling another alert's labels.
    /// </summary>
    [JsonIgnore]
    public string Identity => Fingerprint.Length > 0 ? "fp:" + Fingerprint : "labels:" + JsonSerializer.Serialize(Labels, History.HistoryJsonContext.Default.IReadOnlyDictionaryStringString);

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
                return ([], $"an alert's status must be \"{Firing}\" or \"{Resolved}\" (got {ClientText.Quote(status)})");
            }

            var labels = CleanLabels(alert.Labels);
            if (!labels.TryGetValue("alertname", out var name) || string.IsNullOrWhiteSpace(name))
            {
                return ([], "an alert has no alertname label");
            }

            var annotations = alert.Annotations ?? new Dictionary<string, string?>();
            result.Add(new AlertNotification(
                receivedAt,
                ClientText.Clean(webhook.Receiver, MaxNameLength),
                status,
                name,
                labels.GetValueOrDefault("severity", string.Empty),
                ClientText.Clean(annotations.GetValueOrDefault("summary"), MaxTextLength),
                ClientText.Clean(annotations.GetValueOrDefault("description"), MaxDescriptionLength, keepLineBreaks: true),
                alert.StartsAt,
                alert.EndsAt.Year <= 1 ? null : alert.EndsAt,
                ClientText.Clean(alert.Fingerprint, MaxNameLength),
                labels));
        }

        return (result, null);
    }

    /// <summary>Whether <paramref name="other"/> is this alert again: Alertmanager repeats a group's alerts in every notification.</summary>
    public bool SameAs(AlertNotification other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Status == other.Status && StartsAt == other.StartsAt && Identity == other.Identity;
    }

    // Cleaned, capped and in name order (the identity of an alert without a fingerprint), alertname and severity kept
    // whatever else there is; JSON may carry null where a string belongs: such a label is left out. Two names the same
    // once cleaned keep the first.
    private static SortedDictionary<string, string> CleanLabels(IReadOnlyDictionary<string, string?>? values)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var present = (values ?? new Dictionary<string, string?>()).Where(pair => pair.Value is not null);
        foreach (var (key, value) in present.OrderBy(pair => pair.Key is "alertname" or "severity" ? 0 : 1).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (labels.Count == MaxLabels)
            {
                break;
            }

            labels.TryAdd(ClientText.Clean(key, MaxNameLength), ClientText.Clean(value, key == "alertname" || key == "severity" ? MaxNameLength : MaxTextLength));
        }

        return labels;
    }
}
