using System.Net;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.History;

/// <summary>Echoes gathered into one row per target and minute, against figures worked out by hand.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class LatencyMinutesTests
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private static readonly PingTarget Cloudflare = new("cloudflare", IPAddress.Parse("1.1.1.1"), TargetRole.Public);
    private static readonly PingTarget Gateway = new("gateway", IPAddress.Parse("192.168.1.1"), TargetRole.Gateway);

    [Fact]
    public void A_minute_gives_sent_lost_and_the_minimum_median_90th_percentile_and_maximum_of_the_answers()
    {
        var minutes = new LatencyMinutes(TimeSpan.FromSeconds(7));
        double[] rtts = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        for (var i = 0; i < rtts.Length; i++)
        {
            minutes.Add(Reply(Cloudflare, Minute.AddSeconds(i * 5), rtts[i]));
        }

        minutes.Add(Lost(Cloudflare, Minute.AddSeconds(55)));
        minutes.Add(Lost(Cloudflare, Minute.AddSeconds(59.9)));

        var row = Assert.Single(minutes.Take(Minute.AddMinutes(1).AddSeconds(7)));

        // Median of 10..100 by 10: 55; 90th percentile, linear between ranks: 91 (rank 8.1 of 0..9); jitter: each echo 10 ms from the one before.
        Assert.Equal(new LatencyMinuteRow("cloudflare", "public", "1.1.1.1", Minute, 12, 2, 10, 55, 91, 100, 10), row);
    }

    [Fact]
    public void A_minute_is_written_only_once_its_echoes_have_had_their_timeout_and_each_target_has_its_own_row()
    {
        var minutes = new LatencyMinutes(TimeSpan.FromSeconds(7));
        minutes.Add(Reply(Cloudflare, Minute.AddSeconds(59), 12));
        minutes.Add(Reply(Gateway, Minute.AddSeconds(1), 1.5));
        minutes.Add(Reply(Cloudflare, Minute.AddMinutes(1).AddSeconds(1), 13));

        Assert.Empty(minutes.Take(Minute.AddMinutes(1).AddSeconds(6.9)));
        var rows = minutes.Take(Minute.AddMinutes(1).AddSeconds(7));

        Assert.Equal(["cloudflare", "gateway"], rows.Select(row => row.Target));
        Assert.All(rows, row => Assert.Equal(Minute, row.Minute));
        Assert.Equal("gateway", rows[1].Role);
        var rest = Assert.Single(minutes.Take(Minute.AddMinutes(5), all: true));
        Assert.Equal((Minute.AddMinutes(1), 1, 0, 13.0), (rest.Minute, rest.Sent, rest.Lost, rest.MaxMs!.Value));
    }

    [Fact]
    public void A_minute_with_no_answer_has_no_round_trip_figures_and_a_result_for_a_minute_already_taken_is_a_row_of_its_own()
    {
        var minutes = new LatencyMinutes(TimeSpan.FromSeconds(7));
        minutes.Add(Lost(Gateway, Minute.AddSeconds(3)));

        var row = Assert.Single(minutes.Take(Minute.AddMinutes(2)));
        Assert.Equal((1, 1, (double?)null, (double?)null, (double?)null, (double?)null), (row.Sent, row.Lost, row.MinMs, row.MedianMs, row.P90Ms, row.MaxMs));

        minutes.Add(Reply(Gateway, Minute.AddSeconds(4), 2)); // impossibly late: its own row, which the history merges into the minute's
        var late = Assert.Single(minutes.Take(Minute.AddMinutes(10), all: true));
        Assert.Equal((Minute, 1, 0, 2.0), (late.Minute, late.Sent, late.Lost, late.MaxMs!.Value));
    }

    [Fact]
    public void After_the_wall_clock_is_set_back_an_hour_the_minute_ahead_is_taken_on_the_monotonic_clock_and_minutes_named_again_are_kept()
    {
        var clock = new JumpingClock(Minute.AddMinutes(1).AddSeconds(10));
        var minutes = new LatencyMinutes(TimeSpan.FromSeconds(7), clock);
        minutes.Add(Reply(Cloudflare, Minute.AddSeconds(10), 5));
        minutes.Add(Reply(Cloudflare, Minute.AddMinutes(1).AddSeconds(9), 10)); // the minute going on when the clock is set back
        Assert.Equal([Minute], minutes.Take(clock.GetUtcNow()).Select(row => row.Minute));

        clock.Step(TimeSpan.FromHours(-1));
        minutes.Add(Reply(Cloudflare, clock.GetUtcNow(), 20)); // a minute named before (an hour ago), named again
        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Empty(minutes.Take(clock.GetUtcNow())); // neither minute is over, by either clock

        clock.Advance(TimeSpan.FromSeconds(30));
        var rows = minutes.Take(clock.GetUtcNow());

        // The minute an hour back is over by the wall clock; the one ahead of it, because a minute and the grace have
        // passed on the monotonic clock since its first echo (by the wall clock, not for another hour). Neither is lost.
        Assert.Equal([Minute.AddMinutes(-59), Minute.AddMinutes(1)], rows.Select(row => row.Minute));
        Assert.Equal([20.0, 10.0], rows.Select(row => row.MaxMs!.Value));
    }

    private static PingResult Reply(PingTarget target, DateTimeOffset sent, double milliseconds) =>
        new(target, 1, sent, PingOutcome.Reply, TimeSpan.FromMilliseconds(milliseconds));

    private static PingResult Lost(PingTarget target, DateTimeOffset sent) => new(target, 1, sent, PingOutcome.Timeout, null);
}
