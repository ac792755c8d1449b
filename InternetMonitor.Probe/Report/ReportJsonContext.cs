using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.Report;

/// <summary>The report's JSON, written without reflection (the probe builds natively too); a figure with nothing to compute it from is written as null.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProviderReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
