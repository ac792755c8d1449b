using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Probing.SpeedTest;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Echo results gathered into one row per target and minute (by the minute each echo was sent): sent, lost, and the
/// minimum, median, 90th percentile (linear between ranks) and maximum of the round trips answered. A minute is
/// complete once <paramref name="grace"/> has passed after it (longer than the echo timeout: every echo sent in it has
/// been answered or given up); a result for a minute already taken, which the grace makes impossible in practice, is
/// left out rather than written over the minute's row.
/// </summary>
public sealed class LatencyMinutes(TimeSpan grace)
{
    private readonly Dictionary<(string Target, long Minute), Bucket> _buckets = [];
    private readonly Lock _lock = new();
    private long _takenBefore = long.MinValue;

    public void Add(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var minute = MinuteOf(result.SentAt);
        lock (_lock)
        {
            if (minute < _takenBefore)
            {
                return;
            }

            if (!_buckets.TryGetValue((result.Target.Name, minute), out var bucket))
            {
                bucket = new Bucket(result.Target);
                _buckets[(result.Target.Name, minute)] = bucket;
            }

            bucket.Sent++;
            if (result.Succeeded && result.RoundTripTime is { } rtt)
            {
                bucket.RoundTrips.Add(rtt.TotalMilliseconds);
            }
            else
            {
                bucket.Lost++;
            }
        }
    }

    /// <summary>The rows of every minute complete at <paramref name="now"/> (all of them when <paramref name="all"/>), taken out.</summary>
    public IReadOnlyList<LatencyMinuteRow> Take(DateTimeOffset now, bool all = false)
    {
        var rows = new List<LatencyMinuteRow>();
        lock (_lock)
        {
            foreach (var ((target, minute), bucket) in _buckets.Where(pair => all || DateTimeOffset.FromUnixTimeMilliseconds(pair.Key.Minute) + TimeSpan.FromMinutes(1) + grace <= now).ToList())
            {
                _buckets.Remove((target, minute));
                _takenBefore = Math.Max(_takenBefore, minute + 60_000);
                var sorted = bucket.RoundTrips.Order().ToList();
                rows.Add(new LatencyMinuteRow(
                    target,
                    bucket.Target.Role.ToString().ToLowerInvariant(),
                    bucket.Target.Address.ToString(),
                    DateTimeOffset.FromUnixTimeMilliseconds(minute),
                    bucket.Sent,
                    bucket.Lost,
                    sorted.Count > 0 ? sorted[0] : null,
                    sorted.Count > 0 ? Throughput.PercentileOf(sorted, 0.5) : null,
                    sorted.Count > 0 ? Throughput.PercentileOf(sorted, 0.9) : null,
                    sorted.Count > 0 ? sorted[^1] : null));
            }
        }

        return [.. rows.OrderBy(row => row.Minute).ThenBy(row => row.Target, StringComparer.Ordinal)];
    }

    private static long MinuteOf(DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        return milliseconds - (((milliseconds % 60_000) + 60_000) % 60_000);
    }

    private sealed class Bucket(Targets.PingTarget target)
    {
        public Targets.PingTarget Target { get; } = target;

        public int Sent { get; set; }

        public int Lost { get; set; }

        public List<double> RoundTrips { get; } = [];
    }
}
