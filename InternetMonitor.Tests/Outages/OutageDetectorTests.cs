using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using Prometheus;

namespace InternetMonitor.Tests.Outages;

[Trait(Layer.Key, Layer.Unit)]
public sealed class OutageDetectorTests
{
    private static readonly PingTarget A = new("a", IPAddress.Parse("192.0.2.1"), TargetRole.Public);
    private static readonly PingTarget Gateway = new("gateway", IPAddress.Parse("192.0.2.254"), TargetRole.Gateway);
    private readonly JumpingClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly IRecorder<OutageEvent> _events = Substitute.For<IRecorder<OutageEvent>>();
    private readonly OutageDetector _detector;

    public OutageDetectorTests()
    {
        var resolver = new TargetResolver(
            Options.Create(new TargetOptions { Public = { ["a"] = "192.0.2.1" }, Gateway = "192.0.2.254" }),
            new RouteTable("/nonexistent", "/nonexistent"));
        var metrics = new ConnectivityMetrics(Metrics.WithCustomRegistry(_registry));
        _detector = new OutageDetector(
            new MonitoredTargets(resolver),
            Options.Create(new OutageOptions { DownAfter = TimeSpan.FromSeconds(5), UpAfterReplies = 2 }),
            Options.Create(new IcmpOptions()),
            metrics,
            new ResultPublisher<OutageEvent>([_events, new OutageCountRecorder(metrics)], NullLogger<ResultPublisher<OutageEvent>>.Instance),
            _clock);
    }

    [Fact]
    public async Task Up_is_absent_before_the_first_verdict_and_one_after_a_reply()
    {
        Assert.Null((await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_up"));

        Second(replies: [A, Gateway]);

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(1, metrics.Value("internet_monitor_up"));
        Assert.Equal(1, metrics.Value("internet_monitor_gateway_up"));
        Assert.Equal(1, metrics.Value("internet_monitor_target_up", ("target", "a")));
    }

    [Fact]
    public async Task An_outage_sets_up_to_zero_counts_it_and_accumulates_its_seconds_until_it_ends()
    {
        Second(replies: [A, Gateway]);
        for (var i = 0; i < 10; i++)
        {
            Second(replies: [Gateway], lost: [A]);
        }

        var during = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(0, during.Value("internet_monitor_up"));
        Assert.Equal(1, during.Value("internet_monitor_outages_total", ("cause", "internet")));
        Assert.Equal(1, during.Value("internet_monitor_outage_active", ("cause", "internet")));
        Assert.Equal(0, during.Value("internet_monitor_outage_active", ("cause", "local")));
        Assert.Equal(0, during.Value("internet_monitor_target_up", ("target", "a")));
        Assert.Equal(1, during.Value("internet_monitor_gateway_up"));
        _events.Received(1).Record(Arg.Is<OutageEvent>(e => e is OutageStarted && e.Cause == OutageCause.Internet));

        Second(replies: [A, Gateway]);
        Second(replies: [A, Gateway]);

        var after = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(1, after.Value("internet_monitor_up"));
        Assert.Equal(0, after.Value("internet_monitor_outage_active", ("cause", "internet")));
        var ended = (OutageEnded)_events.ReceivedCalls().Select(call => call.GetArguments()[0]).OfType<OutageEnded>().Single();

        // Lost from 1 s to 10 s, answering again from 11 s: the counter holds exactly the outage's length.
        Assert.Equal(TimeSpan.FromSeconds(10), ended.Duration);
        Assert.Equal(ended.Duration.TotalSeconds, after.Value("internet_monitor_outage_seconds_total", ("cause", "internet"))!.Value, 6);
    }

    [Fact]
    public async Task A_recovery_that_fails_is_counted_as_outage_time_and_a_real_one_is_not_over_counted()
    {
        Second(replies: [A, Gateway]);
        for (var i = 0; i < 8; i++)
        {
            Second(replies: [Gateway], lost: [A]);
        }

        Second(replies: [A, Gateway]); // a single reply: not a recovery
        Second(replies: [Gateway], lost: [A]);
        Second(replies: [Gateway], lost: [A]);
        Second(replies: [A, Gateway]);
        Second(replies: [A, Gateway]);

        var ended = _events.ReceivedCalls().Select(call => call.GetArguments()[0]).OfType<OutageEnded>().Single();
        var metrics = await LabFixture.ScrapeAsync(_registry);

        // Lost from 1 s, the false recovery at 9 s, lost again at 10 s and 11 s, back for good at 12 s.
        Assert.Equal(TimeSpan.FromSeconds(11), ended.Duration);
        Assert.Equal(11, metrics.Value("internet_monitor_outage_seconds_total", ("cause", "internet"))!.Value, 6);
    }

    [Fact]
    public async Task Wall_clock_steps_during_an_outage_change_neither_its_duration_nor_its_seconds()
    {
        Second(replies: [A, Gateway]);
        for (var i = 0; i < 10; i++)
        {
            Second(replies: [Gateway], lost: [A]);
            if (i == 3)
            {
                _clock.Step(TimeSpan.FromDays(365)); // before the outage is declared: it comes after DownAfter all the same
                Assert.Null(_detector.CurrentOutage);
            }
            else if (i == 6)
            {
                _clock.Step(TimeSpan.FromHours(-1));
                Assert.Equal(TimeSpan.FromSeconds(7), _detector.CurrentOutage!.Lasted); // lost from 1 s, now 8 s
            }
        }

        Second(replies: [A, Gateway]);
        Second(replies: [A, Gateway]);

        var ended = _events.ReceivedCalls().Select(call => call.GetArguments()[0]).OfType<OutageEnded>().Single();
        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(TimeSpan.FromSeconds(10), ended.Duration);
        Assert.Equal(10, metrics.Value("internet_monitor_outage_seconds_total", ("cause", "internet"))!.Value, 6);
        Assert.Null(_detector.CurrentOutage);
    }

    [Fact]
    public async Task A_wall_clock_step_while_an_echo_is_in_flight_is_no_outage()
    {
        Second(replies: [A, Gateway]);
        var sentBefore = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(2));
        _clock.Step(TimeSpan.FromDays(365));
        _detector.Record(new PingResult(A, 100, sentBefore, PingOutcome.Timeout, null)); // sent before the step, timed out after it
        Second(replies: [Gateway], lost: [A]);
        Second(replies: [A, Gateway]);

        _clock.Step(TimeSpan.FromHours(-1) - TimeSpan.FromDays(365));
        _detector.Record(new PingResult(A, 101, sentBefore + TimeSpan.FromDays(365) + TimeSpan.FromSeconds(4), PingOutcome.Timeout, null)); // named an hour ahead of now
        Second(replies: [Gateway], lost: [A]);
        Second(replies: [A, Gateway]);

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(0, metrics.Value("internet_monitor_outages_total", ("cause", "internet")));
        Assert.Equal(0, metrics.Value("internet_monitor_outage_seconds_total", ("cause", "internet")));
        Assert.Equal(1, metrics.Value("internet_monitor_up"));
        _events.DidNotReceive().Record(Arg.Any<OutageEvent>());
    }

    private int _second;

    /// <summary>One second of the ping job: replies land at once, losses are reported at the same tick.</summary>
    private void Second(PingTarget[]? replies = null, PingTarget[]? lost = null)
    {
        var sentAt = _clock.GetUtcNow();
        foreach (var target in replies ?? [])
        {
            _detector.Record(new PingResult(target, (ushort)_second, sentAt, PingOutcome.Reply, TimeSpan.FromMilliseconds(1)));
        }

        foreach (var target in lost ?? [])
        {
            _detector.Record(new PingResult(target, (ushort)_second, sentAt, PingOutcome.Timeout, null));
        }

        _second++;
        _clock.Advance(TimeSpan.FromSeconds(1));
    }
}
