using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Probe.Probing.SpeedTest;

namespace InternetMonitor.Probe.History;

/// <summary>
/// DNS results gathered into one row per server and wall-clock minute (by each query's start): queries, failures, and the
/// median time of those answered. A minute is complete once <paramref name="grace"/> has passed after it (longer than
/// a query's timeout). A minute taken twice (the clock set back over it) is merged by the history (<see cref="DnsMinuteRow"/>).
/// </summary>
public sealed class DnsMinutes(TimeSpan grace)
{
    private readonly Dictionary<(string Server, long Minute), Bucket> _buckets = [];
    private readonly Lock _lock = new();

    public void Add(DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var minute = LatencyMinutes.MinuteOf(result.Timestamp);
        lock (_lock)
        {
            if (!_buckets.TryGetValue((result.Query.Server, minute), out var bucket))
            {
                bucket = new Bucket();
                _buckets[(result.Query.Server, minute)] = bucket;
            }

            bucket.Queries++;
            if (result.Succeeded)
            {
                bucket.Answered.Add(result.Duration.TotalMilliseconds);
            }
            else
            {
                bucket.Failures++;
            }
        }
    }

    /// <summary>The rows of every minute complete at <paramref name="now"/> (all of them when <paramref name="all"/>), taken out.</summary>
    public IReadOnlyList<DnsMinuteRow> Take(DateTimeOffset now, bool all = false)
    {
        var rows = new List<DnsMinuteRow>();
        var held = TimeSpan.FromMinutes(1) + grace;
        lock (_lock)
        {
            foreach (var ((server, minute), bucket) in _buckets.Where(pair => all || DateTimeOffset.FromUnixTimeMilliseconds(pair.Key.Minute) + held <= now).ToList())
            {
                _buckets.Remove((server, minute));
                var sorted = bucket.Answered.Order().ToList();
                rows.Add(new DnsMinuteRow(server, DateTimeOffset.FromUnixTimeMilliseconds(minute), bucket.Queries, bucket.Failures, sorted.Count > 0 ? Throughput.PercentileOf(sorted, 0.5) : null));
            }
        }

        return [.. rows.OrderBy(row => row.Minute).ThenBy(row => row.Server, StringComparer.Ordinal)];
    }

    private sealed class Bucket
    {
        public int Queries { get; set; }

        public int Failures { get; set; }

        public List<double> Answered { get; } = [];
    }
}
