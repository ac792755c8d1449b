namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// Round trips to the speed-test server: the median, and the jitter as the mean absolute difference between
/// consecutive samples (as the Cloudflare speed test reports it).
/// </summary>
public sealed record LatencySummary(IReadOnlyList<TimeSpan> Samples)
{
    public static LatencySummary None { get; } = new([]);

    public int Count => Samples.Count;

    public TimeSpan? Median
    {
        get
        {
            if (Samples.Count == 0)
            {
                return null;
            }

            var sorted = Samples.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public TimeSpan? Jitter
    {
        get
        {
            if (Samples.Count < 2)
            {
                return null;
            }

            var sum = TimeSpan.Zero;
            for (var i = 1; i < Samples.Count; i++)
            {
                sum += (Samples[i] - Samples[i - 1]).Duration();
            }

            return sum / (Samples.Count - 1);
        }
    }
}
