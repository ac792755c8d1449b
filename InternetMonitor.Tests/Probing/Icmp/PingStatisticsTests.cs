using System.Net;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.Icmp;

[Trait(Layer.Key, Layer.Unit)]
public sealed class PingStatisticsTests
{
    private static readonly PingTarget Target = new("t", IPAddress.Loopback, TargetRole.Public);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Jitter_is_unknown_until_two_replies()
    {
        var statistics = new PingStatistics(TimeSpan.FromMinutes(1));
        statistics.Add(Reply(0, 10));
        Assert.Null(statistics.Jitter);
    }

    [Fact]
    public void Jitter_follows_rfc_3550_from_the_first_difference()
    {
        var statistics = new PingStatistics(TimeSpan.FromMinutes(1));
        statistics.Add(Reply(0, 10));
        statistics.Add(Reply(1, 14)); // |D| = 4 ms: J starts there
        statistics.Add(Reply(2, 14)); // |D| = 0: J = 4 + (0 - 4) / 16 = 3.75 ms

        Assert.Equal(0.00375, statistics.Jitter!.Value, 9);
    }

    [Fact]
    public void Lost_echoes_do_not_move_the_jitter()
    {
        var statistics = new PingStatistics(TimeSpan.FromMinutes(1));
        statistics.Add(Reply(0, 10));
        statistics.Add(Reply(1, 12));
        statistics.Add(Lost(2));

        Assert.Equal(0.002, statistics.Jitter!.Value, 9);
    }

    [Fact]
    public void Jitter_of_uniformly_spread_rtts_converges_on_a_third_of_the_spread()
    {
        var random = new Random(7);
        var statistics = new PingStatistics(TimeSpan.FromMinutes(1));
        var samples = new List<double>();
        for (var i = 0; i < 20_000; i++)
        {
            statistics.Add(Reply(i, 20 + (random.NextDouble() * 30)));
            if (i > 100)
            {
                samples.Add(statistics.Jitter!.Value);
            }
        }

        // E|X - Y| for X, Y uniform over a width of 30 ms is 10 ms.
        Assert.InRange(samples.Average(), 0.0095, 0.0105);
    }

    [Fact]
    public void Loss_ratio_counts_the_echoes_sent_in_the_window_only()
    {
        var statistics = new PingStatistics(TimeSpan.FromSeconds(10));
        for (var second = 0; second < 10; second++)
        {
            statistics.Add(Lost(second));
        }

        Assert.Equal(1.0, statistics.LossRatio);
        for (var second = 10; second < 20; second++)
        {
            statistics.Add(Reply(second, 1));
        }

        // The window reaches back 10 s from the newest send (19 s): the loss sent at 9 s is still in it.
        Assert.Equal(1.0 / 11, statistics.LossRatio!.Value, 9);
        statistics.Add(Reply(20, 1));
        Assert.Equal(0.0, statistics.LossRatio);
    }

    [Fact]
    public void A_clock_set_back_an_hour_starts_the_loss_window_again_instead_of_keeping_an_hour_of_echoes()
    {
        var statistics = new PingStatistics(TimeSpan.FromSeconds(10));
        for (var second = 3600; second < 3610; second++)
        {
            statistics.Add(Lost(second));
        }

        for (var second = 0; second < 5; second++)
        {
            statistics.Add(Reply(second, 1)); // the wall clock now reads an hour earlier
        }

        Assert.Equal(0.0, statistics.LossRatio);
        statistics.Add(Lost(5));
        Assert.Equal(1.0 / 6, statistics.LossRatio!.Value, 9);
    }

    private static PingResult Reply(int second, double rttMs) =>
        new(Target, (ushort)second, Start.AddSeconds(second), PingOutcome.Reply, TimeSpan.FromMilliseconds(rttMs));

    private static PingResult Lost(int second) =>
        new(Target, (ushort)second, Start.AddSeconds(second), PingOutcome.Timeout, null);
}
