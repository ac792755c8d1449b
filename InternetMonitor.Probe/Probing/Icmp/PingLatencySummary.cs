using System.Collections.Concurrent;
using System.Globalization;
using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Telemetry;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// <c>internet_monitor_ping_latency_seconds</c>: the old project's summary (sum and count of the replies' RTTs since
/// the start) with the exact median, p90 and p99 of the replies in each target's statistics window (nearest rank:
/// a value some reply really had). Written at each scrape from <see cref="PingStatistics"/>, which holds the window's
/// RTTs at 16 bytes an echo; prometheus-net's summary kept six age buckets of sample buffers, 72 kB a target.
/// </summary>
public sealed class PingLatencySummary(IOptions<IcmpOptions> options, OpenIcmpChannels channels) : IExposedFamily
{
    public const string Name = "internet_monitor_ping_latency_seconds";
    private static readonly double[] Quantiles = [0.5, 0.9, 0.99];
    private static readonly string[] QuantileLabels = [.. Quantiles.Select(quantile => quantile.ToString(CultureInfo.InvariantCulture))];
    private readonly ConcurrentDictionary<string, PingStatistics> _targets = new(StringComparer.Ordinal);
    private readonly TimeSpan _window = options.Value.StatisticsWindow;

    /// <summary>Adds a target's statistics to the summary; its series appear at the next scrape.</summary>
    public void Track(string target, PingStatistics statistics) => _targets.TryAdd(target, statistics);

    public async ValueTask WriteToAsync(ExpositionWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_targets.IsEmpty)
        {
            return;
        }

        writer.Family(Name, "summary", $"Round-trip time of each echo reply (kept from the old project: sum and count), with its exact median, p90 and p99 over the replies to the echoes sent in the last Monitor:Icmp:StatisticsWindow ({ValidationErrors.Describe(_window)}); {PingMetricsRecorder.Stamps(channels.All)}.");
        var window = new List<double>();
        foreach (var (target, statistics) in _targets.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            window.Clear();
            long replies;
            double sum;
            lock (statistics)
            {
                statistics.CopyRoundTrips(window);
                replies = statistics.Replies;
                sum = statistics.RoundTripSum;
            }

            window.Sort();
            for (var i = 0; i < Quantiles.Length; i++)
            {
                writer.Sample(Name, [("target", target), ("quantile", QuantileLabels[i])], NearestRank(window, Quantiles[i]));
            }

            writer.Sample(Name + "_sum", [("target", target)], sum);
            writer.Sample(Name + "_count", [("target", target)], replies);
            await writer.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The smallest value with at least <paramref name="quantile"/> of <paramref name="sorted"/> at or below it; NaN when empty.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double quantile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        // Less a hair, so that 0.99 x 100 is rank 99 even where the product rounds up past it.
        var rank = (int)Math.Ceiling((quantile * sorted.Count) - 1e-9);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
