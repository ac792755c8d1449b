using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Probing.SpeedTest;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Echo results gathered into one row per target and minute (by the wall-clock minute each echo was sent): sent, lost,
/// and the minimum, median, 90th percentile (linear between ranks) and maximum of the round trips answered, and their
/// jitter: the mean absolute difference between round trips of echoes sent one after the other (RFC 3550's instantaneous
/// variation, averaged over the minute rather than smoothed, so that a minute's figure is its own). A minute is
/// complete once <paramref name="grace"/> has passed after it by the wall clock (longer than the echo timeout: every echo
/// sent in it has been answered or given up), or once a minute and the grace have passed on the monotonic clock since
/// its first echo came in (the wall clock was set back past it). A result for a minute already taken (the wall clock set
/// back over it, or, impossibly late, an echo of it) starts a row of its own, which the history merges into the one it
/// holds (<see cref="LatencyMinuteRow"/>): no minute is lost, none written twice (docs/time.md).
/// </summary>
public sealed class LatencyMinutes(TimeSpan grace, TimeProvider? time = null)
{
    private readonly Dictionary<(string Target, long Minute), Bucket> _buckets = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public void Add(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var minute = MinuteOf(result.SentAt);
        lock (_lock)
        {
            if (!_buckets.TryGetValue((result.Target.Name, minute), out var bucket))
            {
                bucket = new Bucket(result.Target, _time.GetTimestamp());
                _buckets[(result.Target.Name, minute)] = bucket;
            }

            bucket.Sent++;
            if (result.Succeeded && result.RoundTripTime is { } rtt)
            {
                bucket.RoundTrips.Add((result.SentAt, rtt.TotalMilliseconds));
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
        var held = TimeSpan.FromMinutes(1) + grace;
        lock (_lock)
        {
            foreach (var ((target, minute), bucket) in _buckets.Where(pair => all
                         || DateTimeOffset.FromUnixTimeMilliseconds(pair.Key.Minute) + held <= now
                         || _time.GetElapsedTime(pair.Value.Opened) >= held).ToList())
            {
                _buckets.Remove((target, minute));
                var sorted = bucket.RoundTrips.Select(trip => trip.Ms).Order().ToList();
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
                    sorted.Count > 0 ? sorted[^1] : null,
                    Jitter(bucket.RoundTrips)));
            }
        }

        return [.. rows.OrderBy(row => row.Minute).ThenBy(row => row.Target, StringComparer.Ordinal)];
    }

    /// <summary>The mean absolute difference between consecutive round trips in the order the echoes were sent; null with fewer than two.</summary>
    internal static double? Jitter(IReadOnlyList<(DateTimeOffset SentAt, double Ms)> roundTrips)
    {
        if (roundTrips.Count < 2)
        {
            return null;
        }

        var ordered = roundTrips.OrderBy(trip => trip.SentAt).Select(trip => trip.Ms).ToList();
        var sum = 0.0;
        for (var i = 1; i < ordered.Count; i++)
        {
            sum += Math.Abs(ordered[i] - ordered[i - 1]);
        }

        return sum / (ordered.Count - 1);
    }

    /// <summary>The start of <paramref name="time"/>'s wall-clock minute, in Unix milliseconds.</summary>
    internal static long MinuteOf(DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        return milliseconds - (((milliseconds % 60_000) + 60_000) % 60_000);
    }

    private sealed class Bucket(Targets.PingTarget target, long opened)
    {
        public Targets.PingTarget Target { get; } = target;

        /// <summary>The monotonic timestamp of its first echo.</summary>
        public long Opened { get; } = opened;

        public int Sent { get; set; }

        public int Lost { get; set; }

        public List<(DateTimeOffset SentAt, double Ms)> RoundTrips { get; } = [];
    }
}
