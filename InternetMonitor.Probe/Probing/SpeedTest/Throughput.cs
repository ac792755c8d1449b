namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// The speed of a direction from its timed rounds: the 90th percentile of the throughputs of the rounds that
/// lasted at least a quarter as long as the longest of the largest rounds (those that moved the most bytes). Short
/// rounds are dominated by TCP slow start and by the burst allowance of the line's shaper, so they measure the line
/// badly in both directions; the percentile keeps one unlucky round (a neighbour's download, a scheduler hiccup)
/// from pulling the figure down. The length to reach comes from the largest rounds, so that one small round that
/// stalled (a server's delayed acknowledgement holds 100 kB for 40 ms) does not make itself the only one counted.
/// </summary>
public static class Throughput
{
    public const double Percentile = 0.9;

    public static IReadOnlyList<TransferSample> Qualifying(IReadOnlyList<TransferSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var timed = samples.Where(sample => sample.Duration > TimeSpan.Zero && sample.Bytes > 0).ToList();
        if (timed.Count == 0)
        {
            return [];
        }

        var largest = timed.Max(sample => sample.RequestBytes * sample.Streams);
        var threshold = timed.Where(sample => sample.RequestBytes * sample.Streams == largest).Max(sample => sample.Duration) / 4;
        return [.. timed.Where(sample => sample.Duration >= threshold)];
    }

    /// <summary>Bytes per second, or null when no round was timed.</summary>
    public static double? Estimate(IReadOnlyList<TransferSample> samples)
    {
        var qualifying = Qualifying(samples);
        return qualifying.Count == 0 ? null : PercentileOf([.. qualifying.Select(sample => sample.BytesPerSecond)], Percentile);
    }

    /// <summary>Linear interpolation between closest ranks (the common "type 7" definition).</summary>
    public static double PercentileOf(IReadOnlyList<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 1);
        var sorted = values.Order().ToArray();
        var rank = percentile * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
