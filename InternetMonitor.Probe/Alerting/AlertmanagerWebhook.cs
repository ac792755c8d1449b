using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// The body Alertmanager's webhook receiver posts (format version 4): one notification for a group of alerts.
/// Only the fields the alert log keeps are read; unknown ones are ignored, so a newer Alertmanager still works.
/// </summary>
public sealed class AlertmanagerWebhook
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("receiver")]
    public string? Receiver { get; init; }

    [JsonPropertyName("alerts")]
    public IReadOnlyList<AlertmanagerAlert?>? Alerts { get; init; }
}

/// <summary>One alert of a webhook notification.</summary>
public sealed class AlertmanagerAlert
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string?>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string?>? Annotations { get; init; }

    [JsonPropertyName("startsAt")]
    public DateTimeOffset StartsAt { get; init; }

    [JsonPropertyName("endsAt")]
    public DateTimeOffset EndsAt { get; init; }

    [JsonPropertyName("fingerprint")]
    public string? Fingerprint { get; init; }
}
