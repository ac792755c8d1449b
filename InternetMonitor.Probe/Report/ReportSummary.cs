using System.Globalization;
using System.Text;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// The report in a few lines of plain text, for a support chat or an e-mail: the range, the contract, each direction's
/// median against it, availability, latency, DNS failures, the campaign's verdict and the not-certified line. Only figures the report
/// holds; a range without measurements says so and nothing else.
/// </summary>
public static class ReportSummary
{
    public static string Text(ProviderReport report, ReportScope scope)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(scope);
        var text = new StringBuilder();
        Line(text, $"Internet Monitor {report.Title}: {ReportBuilder.LocalText(report.From, scope.Zone)} to {ReportBuilder.LocalText(report.To, scope.Zone)} ({report.TimeZone}).");
        if (report.NoMeasurements)
        {
            Line(text, $"No measurements in {scope.Name}.");
            return text.ToString();
        }

        var contract = report.Contract;
        if (contract.DownloadMbps is not null || contract.UploadMbps is not null)
        {
            Line(text, $"Contract: {Pair(contract.DownloadMbps, contract.UploadMbps)} Mbit/s maximum"
                + (contract.DownloadNormalMbps is not null || contract.UploadNormalMbps is not null ? $", {Pair(contract.DownloadNormalMbps, contract.UploadNormalMbps)} normally available" : string.Empty)
                + (contract.DownloadMinimumMbps is not null || contract.UploadMinimumMbps is not null ? $", {Pair(contract.DownloadMinimumMbps, contract.UploadMinimumMbps)} minimum" : string.Empty)
                + " (down / up).");
        }

        foreach (var direction in report.Directions ?? [])
        {
            var line = new StringBuilder(Invariant($"{Capital(direction.Direction)}: {direction.Measured} tests measured, {direction.Failed} failed"));
            if (direction.MedianMbps is { } median)
            {
                line.Append(Invariant($"; median {median:0.0} Mbit/s, 10th percentile {direction.P10Mbps:0.0}"));
            }

            if (direction.ShareBelow90PercentOfMaximum is { } below90)
            {
                line.Append(Invariant($"; {below90 * 100:0.#} % below 90 % of the maximum"));
            }

            if (direction.ShareBelowMinimum is { } belowMinimum)
            {
                line.Append(Invariant($", {belowMinimum * 100:0.#} % below the minimum"));
            }

            if (direction.EveningMedianMbps is { } evening)
            {
                line.Append(Invariant($"; evenings 19-23 h median {evening:0.0}"))
                    .Append(direction.RestMedianMbps is { } rest ? Invariant($", rest of the day {rest:0.0}") : string.Empty);
            }

            Line(text, line.Append('.').ToString());
        }

        if (report.Availability is { } availability)
        {
            var causes = string.Join(", ", availability.List.GroupBy(outage => outage.Cause).OrderBy(cause => cause.Key, StringComparer.Ordinal).Select(cause => Invariant($"{cause.Count()} {cause.Key}")));
            Line(text, Invariant($"Availability: {availability.Availability * 100:0.###} %, {availability.DownMinutes:0.#} min down in {availability.Outages} outages")
                + (availability.LongestSeconds is { } longest ? Invariant($" (longest {longest / 60:0.#} min; {causes})") : string.Empty) + ".");
        }

        foreach (var target in report.Latency ?? [])
        {
            Line(text, $"Latency to {target.Target}: median of minute medians {Ms(target.MedianOfMinuteMediansMs)}, p90 {Ms(target.P90OfMinuteMediansMs)}, p99 {Ms(target.P99OfMinuteMediansMs)}; loss {(target.LossRatio is { } loss ? Invariant($"{loss * 100:0.###} %") : "not measured")}.");
        }

        if (report.LatencyUnderLoad is { IdleMedianMs: { } idle } loaded)
        {
            Line(text, $"Latency under load: idle {Ms(idle)}, downloading {Ms(loaded.DownloadMedianMs)}, uploading {Ms(loaded.UploadMedianMs)}.");
        }

        foreach (var server in report.Dns ?? [])
        {
            Line(text, Invariant($"DNS via {server.Server}: {server.Failures} of {server.Queries} queries failed") + (server.FailureRatio is { } ratio ? Invariant($" ({ratio * 100:0.###} %)") : string.Empty)
                + $", median answer {Ms(server.MedianOfMinuteMediansMs)}.");
        }

        if (report.Campaign?.Verdict is { } verdict)
        {
            Line(text, Invariant($"Campaign by the rules of {report.Campaign.RulesName}: {verdict.Outcome.Replace('_', ' ')} ({verdict.Measurements} of {verdict.MeasurementsRequired} measurements)."));
            foreach (var criterion in verdict.Criteria.Where(criterion => criterion.Outcome == "not_met"))
            {
                Line(text, "- " + criterion.Finding);
            }
        }

        foreach (var campaign in report.Campaigns)
        {
            Line(text, $"Campaign {campaign.Id}: {campaign.Outcome.Replace('_', ' ')}.");
        }

        if (report.Paid is { } paid)
        {
            Line(text, paid);
        }

        Line(text, $"Measured by Internet Monitor {report.Method.Version}, {(report.Method.Wired switch { true => "wired", false => "not wired (Wi-Fi or other)", _ => "wired or not: not stated" })}; not a certified measurement.");
        return text.ToString();
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Pair(double? download, double? upload) => $"{Number(download)} / {Number(upload)}";

    private static string Number(double? value) => value is { } number ? number.ToString("0.##", CultureInfo.InvariantCulture) : "not stated";

    private static string Ms(double? value) => value is { } number ? number.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "not measured";

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
