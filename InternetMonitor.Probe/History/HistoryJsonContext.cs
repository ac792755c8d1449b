using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.History;

/// <summary>JSON written by the history without reflection (the probe builds natively too).</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
