using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.Alerting;

/// <summary>Source-generated JSON for the alert log's endpoints (no reflection: the probe also runs natively compiled).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertmanagerWebhook))]
[JsonSerializable(typeof(IReadOnlyList<AlertNotification>))]
public sealed partial class AlertLogJsonContext : JsonSerializerContext;
