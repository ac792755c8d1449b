namespace InternetMonitor.Benchmarks.Measuring;

/// <summary>The few statistics the benchmark prints, spelled out so a reader can check them.</summary>
public static class Stats
{
    /// <summary>The nearest-rank percentile (0..100) of <paramref name="values"/>.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    /// <summary>
    /// The central 95 % of the number of losses among <paramref name="trials"/> packets each lost with
    /// probability <paramref name="probability"/>: the 2.5th and 97.5th percentiles of Binomial(n, p), as ratios.
    /// </summary>
    public static (double Low, double High) BinomialInterval(int trials, double probability)
    {
        if (probability <= 0 || trials == 0)
        {
            return (0, 0);
        }

        double cumulative = 0;
        int? low = null;
        for (var k = 0; k <= trials; k++)
        {
            cumulative += Math.Exp(LogChoose(trials, k) + (k * Math.Log(probability)) + ((trials - k) * Math.Log(1 - probability)));
            if (low is null && cumulative >= 0.025)
            {
                low = k;
            }

            if (cumulative >= 0.975)
            {
                return (low!.Value / (double)trials, k / (double)trials);
            }
        }

        return (low.GetValueOrDefault() / (double)trials, 1);
    }

    /// <summary>
    /// The RFC 3550 (6.4.1) jitter estimate after each of <paramref name="rtts"/> in turn: J += (|D| - J) / 16,
    /// D the difference of consecutive RTTs. The probe's definition, applied to another tool's samples.
    /// </summary>
    public static IReadOnlyList<double> Rfc3550(IReadOnlyList<double> rtts)
    {
        ArgumentNullException.ThrowIfNull(rtts);
        var estimates = new List<double>();
        double jitter = 0;
        for (var i = 1; i < rtts.Count; i++)
        {
            jitter += (Math.Abs(rtts[i] - rtts[i - 1]) - jitter) / 16;
            estimates.Add(jitter);
        }

        return estimates;
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
