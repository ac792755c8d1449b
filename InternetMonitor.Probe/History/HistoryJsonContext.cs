using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.History;

/// <summary>JSON written by the history without reflection (the probe builds natively too).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<SpeedTestRecord>))]
[JsonSerializable(typeof(IReadOnlyList<OutageRecord>))]
[JsonSerializable(typeof(IReadOnlyList<AlertRecord>))]
[JsonSerializable(typeof(IReadOnlyList<LatencyMinuteRecord>))]
[JsonSerializable(typeof(SpeedTestRecord))]
[JsonSerializable(typeof(OutageRecord))]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(LatencyMinuteRecord))]
[JsonSerializable(typeof(AvailabilityRecord))]
[JsonSerializable(typeof(CampaignPlan))]
[JsonSerializable(typeof(CampaignRecord))]
[JsonSerializable(typeof(IReadOnlyList<CampaignRecord>))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
