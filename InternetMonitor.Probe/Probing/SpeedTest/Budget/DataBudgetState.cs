using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.Probing.SpeedTest.Budget;

/// <summary>Bytes used by scheduled speed tests in the current day and billing month (local dates, yyyy-MM-dd).</summary>
public sealed record DataBudgetState(string Day, string MonthStart, long DayDownload, long DayUpload, long MonthDownload, long MonthUpload)
{
    public long DayTotal => DayDownload + DayUpload;

    public long MonthTotal => MonthDownload + MonthUpload;
}

[JsonSerializable(typeof(DataBudgetState))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class DataBudgetJsonContext : JsonSerializerContext;
