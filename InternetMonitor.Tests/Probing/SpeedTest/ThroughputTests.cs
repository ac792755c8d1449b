using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.SpeedTest;

[Trait(Layer.Key, Layer.Unit)]
public sealed class ThroughputTests
{
    [Fact]
    public void The_percentile_interpolates_between_ranks()
    {
        Assert.Equal(9.1, Throughput.PercentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 10);
        Assert.Equal(5.5, Throughput.PercentileOf([10, 1, 5.5], 0.5), 10);
        Assert.Equal(7, Throughput.PercentileOf([7], 0.9));
    }

    [Fact]
    public void Rounds_shorter_than_a_quarter_of_the_longest_do_not_count()
    {
        // A 10 ms round at a burst-inflated 100 MB/s next to one-second rounds at about 1 MB/s.
        TransferSample[] samples =
        [
            Sample(1_000_000, 10),
            Sample(1_000_000, 1000),
            Sample(900_000, 1000),
            Sample(800_000, 1000),
        ];

        Assert.Equal(3, Throughput.Qualifying(samples).Count);
        Assert.Equal(980_000, Throughput.Estimate(samples)!.Value, 6); // p90 of 0.8, 0.9, 1.0 MB/s
    }

    [Fact]
    public void A_small_round_that_stalled_does_not_set_the_length_the_others_must_reach()
    {
        // 100 kB held 40 ms by a delayed acknowledgement, next to 1 MB rounds of 0.2 ms at 5 GB/s.
        TransferSample[] samples =
        [
            Sample(100_000, 0.02),
            Sample(100_000, 40),
            Sample(1_000_000, 0.2),
            Sample(1_000_000, 0.2),
            Sample(1_000_000, 0.2),
        ];

        Assert.Equal(4, Throughput.Qualifying(samples).Count); // the 1 MB rounds and the stalled one
        Assert.Equal(5e9, Throughput.Estimate(samples)!.Value, 0);
    }

    [Fact]
    public void No_timed_round_gives_no_speed()
    {
        Assert.Null(Throughput.Estimate([]));
        Assert.Null(Throughput.Estimate([Sample(0, 100), Sample(1000, 0)]));
    }

    [Fact]
    public void Latency_median_and_jitter_follow_their_definitions()
    {
        var summary = new LatencySummary([Ms(10), Ms(14), Ms(12), Ms(20)]);

        Assert.Equal(Ms(13), summary.Median); // (12 + 14) / 2
        Assert.Equal((4 + 2 + 8) / 3.0, summary.Jitter!.Value.TotalMilliseconds, 3);
        Assert.Null(new LatencySummary([Ms(5)]).Jitter);
        Assert.Null(LatencySummary.None.Median);
    }

    [Fact]
    public void Responsiveness_is_the_loaded_round_trips_per_minute_and_the_increase_over_idle()
    {
        var idle = new LatencySummary([Ms(10), Ms(10)]);
        var loaded = new DirectionResult(SpeedTestDirection.Download, 1e6, [], 0, 1, new LatencySummary([Ms(250), Ms(250)]), null, null);

        Assert.Equal(240, loaded.RoundTripsPerMinute!.Value, 6);
        Assert.Equal(Ms(240), loaded.LatencyIncrease(idle));
    }

    private static TransferSample Sample(long bytes, double milliseconds) =>
        new(SpeedTestDirection.Download, bytes, 1, bytes, TimeSpan.FromMilliseconds(milliseconds));

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
