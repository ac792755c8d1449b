using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.SpeedTest;

/// <summary>
/// The growth rule on a fake line: a round of N bytes takes N / rate seconds of simulated time (one stream fills the
/// line, so a trial of two streams is never faster), no socket and no clock. The bytes per line speed here are the
/// table in docs/measurements.md.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class RoundLadderTests
{
    private const long Mega = 1_000_000;

    public static TheoryData<long, long> BytesPerLineSpeed => new()
    {
        { 10_000_000, 3_500_000 },
        { 100_000_000, 110_300_000 },
        { 1_000_000_000, 353_300_000 },
        { 2_500_000_000, 1_472_300_000 },
    };

    [Theory]
    [MemberData(nameof(BytesPerLineSpeed))]
    public async Task With_the_default_settings_a_direction_uses_the_bytes_the_docs_state_for_its_line_speed(long bitsPerSecond, long bytes)
    {
        var line = new FakeLine(bitsPerSecond / 8.0);

        var ladder = await line.RunAsync(Defaults());

        Assert.Equal(bytes, line.Used);
        Assert.True(line.Used <= SpeedTestOptions.DefaultMaxBytes / 2, "within the direction's half of MaxBytes");
        Assert.InRange(Throughput.Estimate(ladder.Samples)!.Value, bitsPerSecond / 8.0 * 0.999, bitsPerSecond / 8.0 * 1.001);
    }

    [Fact]
    public async Task On_a_fast_line_sizes_grow_past_the_listed_ones_until_a_round_lasts_RequestDuration()
    {
        var line = new FakeLine(2_500_000_000 / 8.0);

        var ladder = await line.RunAsync(Defaults());

        var last = ladder.Samples[^1];
        Assert.Equal(313 * Mega, last.RequestBytes); // 1 s at 312.5 MB/s, rounded up to whole megabytes
        Assert.True(last.Duration >= TimeSpan.FromSeconds(1), $"{last.Duration}");
        Assert.Equal(3, ladder.Samples.Count(sample => sample.RequestBytes == last.RequestBytes));
        Assert.DoesNotContain(ladder.Samples, sample => sample.RequestBytes == 25 * Mega); // its rounds would have lasted 80 ms: skipped
    }

    [Fact]
    public async Task On_a_slow_line_sizes_stop_where_the_next_would_last_more_than_four_RequestDurations()
    {
        var line = new FakeLine(10_000_000 / 8.0);

        var ladder = await line.RunAsync(Defaults());

        Assert.Equal(Mega, ladder.Samples.Max(sample => sample.RequestBytes)); // 10 MB would take 8 s
    }

    [Fact]
    public async Task MaxBytes_is_a_hard_limit_and_what_is_left_of_it_goes_into_rounds_larger_than_the_last_size()
    {
        var line = new FakeLine(2_000_000_000); // loopback: 16 Gbit/s

        var ladder = await line.RunAsync(Defaults() with { MaxBytes = 200 * Mega });

        Assert.True(line.Used <= 100 * Mega, $"{line.Used} bytes in a direction's half of 200 MB");
        var last = ladder.Samples.TakeLast(3).ToList();
        Assert.All(last, sample => Assert.InRange(sample.RequestBytes, 15 * Mega, 25 * Mega)); // the 66.7 MB left, in three
        Assert.Equal(3, ladder.Samples.Count(sample => sample.RequestBytes == 10 * Mega));
    }

    [Fact]
    public async Task A_speed_inflated_by_a_shaper_burst_lets_sizes_skip_ahead_but_never_more_than_tenfold()
    {
        // Requests of up to 3 MB pass in the shaper's burst at 20 GB/s; beyond that the line runs at 1 Gbit/s.
        var line = new FakeLine(125_000_000, burst: 3 * Mega, burstRate: 20_000_000_000);

        var ladder = await line.RunAsync(Defaults());

        var sizes = ladder.Samples.Select(sample => sample.RequestBytes).Distinct().ToList();
        Assert.All(sizes.Zip(sizes.Skip(1)), pair => Assert.True(pair.Second <= pair.First * SpeedTestLimits.MaxStep, $"{pair.First} -> {pair.Second}"));
        Assert.True(ladder.Samples[^1].Duration <= TimeSpan.FromSeconds(4), $"the last round lasted {ladder.Samples[^1].Duration}");
    }

    [Fact]
    public async Task A_server_that_refuses_a_grown_size_ends_the_growth_and_the_rounds_so_far_stand()
    {
        var line = new FakeLine(2_500_000_000 / 8.0, refuseAbove: 100 * Mega);

        var ladder = await line.RunAsync(Defaults());

        Assert.Equal(100 * Mega, ladder.Samples.Max(sample => sample.RequestBytes));
        Assert.Equal(1, line.Refused);
        Assert.NotNull(Throughput.Estimate(ladder.Samples));
    }

    [Fact]
    public async Task A_server_that_refuses_a_listed_size_fails_the_direction()
    {
        var line = new FakeLine(100_000_000 / 8.0, refuseAbove: 5 * Mega);

        var fault = await Assert.ThrowsAsync<SpeedTestFault>(() => line.RunAsync(Defaults()));

        Assert.Equal(SpeedTestFailureReason.Status, fault.Reason);
    }

    [Theory]
    [InlineData(100_000L, 1_000_000_000.0, 1_000_000L)] // the listed next, though the speed would allow far more: at most tenfold
    [InlineData(10_000_000L, 300_000_000.0, 100_000_000L)] // 25 MB would last 83 ms: skipped for 100 MB (333 ms)
    [InlineData(100_000_000L, 300_000_000.0, 300_000_000L)] // past the list: one second's worth
    [InlineData(100_000_000L, 125_000_000.0, null)] // 125 MB is less than half again as large: growth stops
    [InlineData(1_000_000L, 1_250_000.0, null)] // 10 MB would last 8 s
    [InlineData(10_000_000L, 12_500_000.0, 25_000_000L)] // 2 s: longer than RequestDuration, within four of them
    public void The_next_size_follows_the_speed_so_far(long current, double speed, long? next)
    {
        Assert.Equal(next, RoundLadder.NextSize(SpeedTestOptions.DefaultRequestSizes, current, speed, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Sizes_do_not_grow_past_the_list_for_a_server_whose_file_is_as_large_as_it_is()
    {
        Assert.Null(RoundLadder.NextSize(SpeedTestOptions.DefaultRequestSizes, 100_000_000, 300_000_000, 1, TimeSpan.FromSeconds(1), grow: false));
        Assert.Equal(25_000_000, RoundLadder.NextSize(SpeedTestOptions.DefaultRequestSizes, 10_000_000, 12_500_000, 1, TimeSpan.FromSeconds(1), grow: false));
    }

    private static SpeedTestLimits Defaults() => new SpeedTestOptions().Limits();

    /// <summary>A line of <c>rate</c> bytes per second; a request of up to <c>burst</c> bytes passes at <c>burstRate</c>.</summary>
    private sealed class FakeLine(double rate, long burst = 0, double burstRate = 0, long refuseAbove = long.MaxValue)
    {
        public long Used { get; private set; }

        public int Refused { get; private set; }

        public async Task<RoundLadder> RunAsync(SpeedTestLimits limits)
        {
            var ladder = new RoundLadder(SpeedTestDirection.Download, limits, limits.MaxBytes / 2, size => size, () => Used, RoundAsync);
            await ladder.RunAsync(TestContext.Current.CancellationToken);
            return ladder;
        }

        private Task<TransferSample> RoundAsync(long size, int streams, CancellationToken cancellationToken)
        {
            if (size > refuseAbove)
            {
                Refused++;
                throw new SpeedTestFault(SpeedTestFailureReason.Status, $"status 413 for a download of {size} bytes");
            }

            var bytes = size * streams;
            Used += bytes;
            var seconds = bytes <= burst ? bytes / burstRate : bytes / rate;
            return Task.FromResult(new TransferSample(SpeedTestDirection.Download, size, streams, bytes, TimeSpan.FromSeconds(seconds)));
        }
    }
}
