using System.Globalization;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Probe.Telemetry;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// Reads what a report's range holds from the history and hands it to <see cref="ReportBuilder"/>: the speed tests and
/// outages whole (a month holds a few hundred), the latency minutes as they are read (a month of several targets is a few
/// hundred thousand), its DNS minutes, and each CSV file of the range read once more, as its endpoint reads it, to hash it.
/// </summary>
public sealed class ReportReader(HistoryReader history, IOptions<PlanOptions> plan, IOptions<ReportOptions> options, TimeProvider clock)
{
    public bool Enabled => history.Enabled;

    public TimeZoneInfo Zone => options.Value.Zone();

    public string ZoneName => options.Value.ZoneName();

    /// <summary>The campaign <paramref name="id"/>, or null.</summary>
    /// <exception cref="HistoryException">The history cannot be read.</exception>
    public CampaignRecord? Campaign(string id) => history.Campaign(id);

    /// <summary>The report of <paramref name="scope"/>, as of now.</summary>
    /// <exception cref="HistoryException">The history cannot be read.</exception>
    public ProviderReport Read(ReportScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var now = clock.GetUtcNow();
        var (from, to) = (scope.From, scope.To);
        var tests = All(history.SpeedTests(from, to, int.MaxValue));
        var outages = All(history.Outages(from, to, int.MaxValue));
        var campaigns = scope.Campaign is null
            ? [.. history.Campaigns()
                .Where(campaign => campaign.StartedAt < to && (campaign.EndedAt ?? now) >= from)
                .OrderBy(campaign => campaign.StartedAt)
                .Select(campaign => new CampaignHistory(campaign, All(history.SpeedTests(campaign.StartedAt, (campaign.EndedAt ?? now).AddMilliseconds(1), int.MaxValue))))]
            : new List<CampaignHistory>();
        var files = from < to
            ? new List<ReportCsvFile>
            {
                File(HistoryReader.SpeedTestTable, scope, history.SpeedTests(from, to, HistoryEndpoints.MaxCsvLimit), HistoryCsv.SpeedTestHeader, HistoryCsv.Cells),
                File(HistoryReader.OutageTable, scope, history.Outages(from, to, HistoryEndpoints.MaxCsvLimit), HistoryCsv.OutageHeader, HistoryCsv.Cells),
                File(HistoryReader.LatencyTable, scope, history.Latency(from, to, null, HistoryEndpoints.MaxCsvLimit), HistoryCsv.LatencyHeader, HistoryCsv.Cells),
            }
            : [];
        var dns = history.DnsMinutes(from, to);
        using var latency = history.Latency(from, to, null, int.MaxValue);
        var wired = scope.Campaign is null ? options.Value.Wired : scope.Campaign.Wired;
        return ReportBuilder.Build(scope, new ReportHistory(tests, outages, latency, campaigns, files, dns), plan.Value, wired, BuildInfo.Version, now);
    }

    /// <summary>The link to the range's CSV file of <paramref name="table"/> and the digest of what it serves.</summary>
    public static string CsvUrl(string table, DateTimeOffset from, DateTimeOffset to) =>
        $"{HistoryEndpoints.Prefix}/{table}?from={Uri.EscapeDataString(Iso(from))}&to={Uri.EscapeDataString(Iso(to))}&format=csv";

    private static ReportCsvFile File<T>(string table, ReportScope scope, HistoryPage<T> page, string header, Func<T, object?[]> cells)
    {
        using (page)
        {
            var (sha256, bytes, rows) = ReportCsvDigest.Of(page, header, cells);
            return new ReportCsvFile(table, CsvUrl(table, scope.From, scope.To), sha256, bytes, rows);
        }
    }

    private static List<T> All<T>(HistoryPage<T> page)
    {
        using (page)
        {
            return [.. page];
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
