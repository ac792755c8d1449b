using System.Net;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Outages;

[Trait(Layer.Key, Layer.Unit)]
public sealed class OutageTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PingTarget A = new("a", IPAddress.Parse("192.0.2.1"), TargetRole.Public);
    private static readonly PingTarget B = new("b", IPAddress.Parse("192.0.2.2"), TargetRole.Public);
    private static readonly PingTarget C = new("c", IPAddress.Parse("192.0.2.3"), TargetRole.Public);
    private static readonly PingTarget Gateway = new("gateway", IPAddress.Parse("192.0.2.254"), TargetRole.Gateway);
    private static readonly OutageOptions Options = new() { DownAfter = TimeSpan.FromSeconds(5), UpAfterReplies = 3 };

    [Fact]
    public void The_state_is_unknown_until_the_first_reply_and_up_after_it()
    {
        var tracker = new OutageTracker(Options, [A, B]);
        Assert.Equal(ConnectivityState.Unknown, tracker.State);

        Observe(tracker, Reply(A, 0), 0.01);

        Assert.Equal(ConnectivityState.Up, tracker.State);
    }

    [Fact]
    public void Outage_is_declared_after_all_targets_fail_for_the_threshold()
    {
        var run = new Run(new OutageTracker(Options, [A, B, C, Gateway]));
        run.Second(0, replies: [A, B, C, Gateway]);
        for (var second = 1; second <= 3; second++)
        {
            run.Second(second, replies: [Gateway], lost: [A, B, C]);
        }

        Assert.Empty(run.Events);

        // The echoes sent at 4 s time out at 6 s: 5 s after the first loss, every target silent since.
        run.Second(4, replies: [Gateway], lost: [A, B, C]);

        var started = Assert.IsType<OutageStarted>(Assert.Single(run.Events));
        Assert.Equal(At(1), started.Start);
        Assert.Equal(OutageCause.Internet, started.Cause);
        Assert.Equal(ConnectivityState.Down, run.Tracker.State);
    }

    [Fact]
    public void One_target_answering_keeps_the_internet_up()
    {
        var run = new Run(new OutageTracker(Options, [A, B, C]));
        for (var second = 0; second < 120; second++)
        {
            run.Second(second, replies: [C], lost: [A, B]);
        }

        Assert.Empty(run.Events);
        Assert.Equal(ConnectivityState.Up, run.Tracker.State);
    }

    [Fact]
    public void The_start_is_the_first_loss_of_the_last_target_to_fail()
    {
        var run = new Run(new OutageTracker(Options, [A, B]));
        run.Second(0, replies: [A, B]);
        run.Second(1, replies: [B], lost: [A]);
        run.Second(2, replies: [B], lost: [A]);
        for (var second = 3; second <= 10; second++)
        {
            run.Second(second, lost: [A, B]);
        }

        Assert.Equal(At(3), Assert.IsType<OutageStarted>(Assert.Single(run.Events)).Start);
    }

    [Fact]
    public void The_outage_ends_after_consecutive_replies_and_its_end_is_the_first_of_them()
    {
        var run = new Run(new OutageTracker(Options, [A, B]));
        for (var second = 0; second <= 10; second++)
        {
            run.Second(second, lost: [A, B]);
        }

        run.Second(11, replies: [A], lost: [B]);
        run.Second(12, lost: [A, B]); // one reply is not a recovery
        run.Second(13, replies: [A], lost: [B]);
        run.Second(14, replies: [A], lost: [B]);
        Assert.Single(run.Events);
        run.Second(15, replies: [A], lost: [B]);

        var ended = Assert.IsType<OutageEnded>(run.Events[1]);
        Assert.Equal(At(0), ended.Start);
        Assert.Equal(At(13), ended.End);
        Assert.Equal(TimeSpan.FromSeconds(13), ended.Duration);
        Assert.Equal(ConnectivityState.Up, run.Tracker.State);
    }

    [Theory]
    [InlineData(true, OutageCause.Internet)]
    [InlineData(false, OutageCause.Local)]
    public void The_gateway_witnesses_the_cause(bool gatewayAnswers, OutageCause expected)
    {
        var run = new Run(new OutageTracker(Options, [A, Gateway]));
        run.Second(0, replies: [A, Gateway]);
        for (var second = 1; second <= 8; second++)
        {
            run.Second(second, replies: gatewayAnswers ? [Gateway] : [], lost: gatewayAnswers ? [A] : [A, Gateway]);
        }

        Assert.Equal(expected, Assert.IsType<OutageStarted>(Assert.Single(run.Events)).Cause);
    }

    [Fact]
    public void No_route_without_a_gateway_is_a_local_outage()
    {
        var run = new Run(new OutageTracker(Options, [A, B]));
        for (var second = 0; second <= 6; second++)
        {
            run.Second(second, lost: [A, B], outcome: PingOutcome.NoRoute);
        }

        Assert.Equal(OutageCause.Local, Assert.IsType<OutageStarted>(Assert.Single(run.Events)).Cause);
    }

    [Fact]
    public void Silence_without_a_gateway_to_witness_has_an_unknown_cause()
    {
        var run = new Run(new OutageTracker(Options, [A, B]));
        for (var second = 0; second <= 6; second++)
        {
            run.Second(second, lost: [A, B]);
        }

        Assert.Equal(OutageCause.Unknown, Assert.IsType<OutageStarted>(Assert.Single(run.Events)).Cause);
    }

    [Fact]
    public void A_timeout_that_completes_after_a_later_reply_does_not_restart_the_loss()
    {
        var tracker = new OutageTracker(Options, [A]);
        Observe(tracker, Reply(A, 10), 10.01);
        Observe(tracker, Lost(A, 9), 11); // sent before the reply, completed after it

        Assert.True(tracker.IsUp(A, TimeSpan.FromSeconds(20)));
        Assert.Equal(ConnectivityState.Up, tracker.State);
    }

    [Fact]
    public void Twenty_percent_random_loss_for_a_simulated_week_never_declares_an_outage()
    {
        var random = new Random(2026);
        var run = new Run(new OutageTracker(Options, [A, B, C, Gateway]));
        PingTarget[] all = [A, B, C, Gateway];
        for (var second = 0; second < 7 * 24 * 3600; second++)
        {
            var lost = all.Where(_ => random.NextDouble() < 0.2).ToArray();
            run.Second(second, replies: all.Except(lost).ToArray(), lost: lost);
        }

        Assert.Empty(run.Events);
        Assert.Equal(ConnectivityState.Up, run.Tracker.State);
    }

    [Fact]
    public void A_wall_clock_set_back_an_hour_during_an_outage_changes_neither_its_end_nor_its_length()
    {
        var run = new Run(new OutageTracker(Options, [A, B]));
        for (var second = 0; second <= 10; second++)
        {
            run.Second(second, lost: [A, B]);
        }

        run.Step(TimeSpan.FromHours(-1));
        for (var second = 11; second <= 12; second++)
        {
            run.Second(second, lost: [A, B]);
        }

        for (var second = 13; second <= 15; second++)
        {
            run.Second(second, replies: [A, B]);
        }

        var ended = Assert.IsType<OutageEnded>(run.Events[1]);
        Assert.Equal(At(0), ended.Start);
        Assert.Equal(TimeSpan.FromSeconds(13), ended.Duration); // not an hour less (and never below zero)
        Assert.Equal(At(13), ended.End);
    }

    [Fact]
    public void A_wall_clock_set_forward_a_year_during_an_outage_does_not_make_it_a_year_long()
    {
        var run = new Run(new OutageTracker(Options, [A, B]));
        for (var second = 0; second <= 10; second++)
        {
            run.Second(second, lost: [A, B]);
        }

        run.Step(TimeSpan.FromDays(365));
        for (var second = 11; second <= 13; second++)
        {
            run.Second(second, replies: [A]);
        }

        Assert.Equal(TimeSpan.FromSeconds(11), Assert.IsType<OutageEnded>(run.Events[1]).Duration);
    }

    [Fact]
    public void A_wall_clock_set_forward_a_year_while_every_target_has_just_lost_an_echo_is_no_outage()
    {
        var run = new Run(new OutageTracker(Options, [A, B, Gateway]));
        run.Second(0, replies: [A, B, Gateway]);
        run.Second(1, replies: [Gateway], lost: [A, B]); // one echo each lost: silent for 1 s, not for DownAfter

        run.Step(TimeSpan.FromDays(365));
        run.Second(2, replies: [Gateway], lost: [A, B]);
        run.Tracker.Evaluate(TimeSpan.FromSeconds(4.5));

        Assert.Empty(run.Events);
        Assert.True(run.Tracker.IsUp(A, TimeSpan.FromSeconds(4.5)));
        run.Second(3, replies: [A, B, Gateway]);
        Assert.Equal(ConnectivityState.Up, run.Tracker.State);
    }

    [Fact]
    public void After_a_wall_clock_set_back_an_hour_an_outage_is_declared_on_time_and_replies_still_count()
    {
        var run = new Run(new OutageTracker(Options, [A, B]));
        run.Second(0, replies: [A, B]);
        run.Step(TimeSpan.FromHours(-1)); // every send from now on is named an hour before the last reply
        for (var second = 1; second <= 4; second++)
        {
            run.Second(second, lost: [A, B]);
        }

        var started = Assert.IsType<OutageStarted>(Assert.Single(run.Events));
        Assert.Equal(At(1) - TimeSpan.FromHours(1), started.Start);
        Assert.Equal(TimeSpan.FromSeconds(5), started.DeclaredAt - started.Start); // 4 s sent, its timeout at 6 s

        for (var second = 5; second <= 7; second++)
        {
            run.Second(second, replies: [A, B]);
        }

        Assert.Equal(TimeSpan.FromSeconds(4), Assert.IsType<OutageEnded>(run.Events[1]).Duration);
        Assert.Equal(ConnectivityState.Up, run.Tracker.State);
    }

    [Fact]
    public void A_tracker_without_public_targets_is_refused() =>
        Assert.Throws<ArgumentException>(() => new OutageTracker(Options, [Gateway]));

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    /// <summary>Observes <paramref name="result"/> at <paramref name="now"/> seconds, on a wall clock that has not stepped.</summary>
    private static OutageEvent? Observe(OutageTracker tracker, PingResult result, double now) =>
        tracker.Observe(result, new Moment(result.SentAt, result.SentAt - T0), TimeSpan.FromSeconds(now));

    private static PingResult Reply(PingTarget target, double sentAt) =>
        new(target, 0, At(sentAt), PingOutcome.Reply, TimeSpan.FromMilliseconds(10));

    private static PingResult Lost(PingTarget target, double sentAt, PingOutcome outcome = PingOutcome.Timeout) =>
        new(target, 0, At(sentAt), outcome, null);

    /// <summary>Drives the tracker a second at a time, as the ping job does: replies land 10 ms after the
    /// send, timeouts 2 s after it. Seconds are monotonic; <see cref="Step"/> moves the wall clock's names alone.</summary>
    private sealed class Run(OutageTracker tracker)
    {
        private TimeSpan _step;

        public OutageTracker Tracker { get; } = tracker;

        public List<OutageEvent> Events { get; } = [];

        /// <summary>The wall clock is set by <paramref name="delta"/>: the sends from now on are named that much off.</summary>
        public void Step(TimeSpan delta) => _step += delta;

        public void Second(int second, PingTarget[]? replies = null, PingTarget[]? lost = null, PingOutcome outcome = PingOutcome.Timeout)
        {
            var sent = new Moment(At(second) + _step, TimeSpan.FromSeconds(second));
            foreach (var target in replies ?? [])
            {
                Add(Tracker.Observe(Reply(target, second) with { SentAt = sent.Wall }, sent, TimeSpan.FromSeconds(second + 0.01)));
            }

            foreach (var target in lost ?? [])
            {
                var completion = outcome == PingOutcome.Timeout ? second + 2 : second;
                Add(Tracker.Observe(Lost(target, second, outcome) with { SentAt = sent.Wall }, sent, TimeSpan.FromSeconds(completion)));
            }
        }

        private void Add(OutageEvent? transition)
        {
            if (transition is not null)
            {
                Events.Add(transition);
            }
        }
    }
}
