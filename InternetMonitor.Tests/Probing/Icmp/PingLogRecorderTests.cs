using System.Net;
using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Probing.Icmp;

/// <summary>A ping target's loss crossing <c>Monitor:Logging:LossAbove</c> over the statistics window, one echo a second.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class PingLogRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 2, 0, TimeSpan.Zero);
    private static readonly PingTarget Target = new("cloudflare", IPAddress.Parse("192.0.2.1"), TargetRole.Public);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly FakeLogger<PingLogRecorder> _logger = new();
    private readonly PingLogRecorder _recorder;
    private ushort _sequence;

    public PingLogRecorderTests() =>
        _recorder = new PingLogRecorder(_logger, _clock, Options.Create(new LoggingOptions()), Options.Create(new IcmpOptions()));

    [Fact]
    public void A_minute_without_replies_is_one_warning_when_loss_crosses_five_percent_and_one_line_when_it_falls_back()
    {
        Echoes(120, lost: false);
        Echoes(60, lost: true);
        Echoes(120, lost: false);

        var records = _logger.Collector.GetSnapshot();
        Assert.Equal(60, records.Count(record => record.Level == LogLevel.Debug));
        Assert.Equal(
            [
                // The 4th lost echo of the 61 sent in the window (1 s apart, both ends in) is the first above 5 %.
                "Target cloudflare (192.0.2.1) losing echoes: 4 of 61 lost in the last 1 min (6.6 %, above 5 %), the last no_route: no route to host",
                "Target cloudflare (192.0.2.1) loss back to 4.9 % (3 of 61 in the last 1 min) after 1 min 54 s above 5 % since 2026-12-04T14:04:03.0000000+00:00",
            ],
            records.Where(record => record.Level > LogLevel.Debug).Select(record => record.Message));
    }

    [Fact]
    public void One_echo_lost_in_fifty_for_an_hour_stays_below_the_threshold_and_writes_nothing_above_Debug()
    {
        for (var second = 0; second < 3600; second++)
        {
            Echoes(1, lost: second % 50 == 49);
        }

        var records = _logger.Collector.GetSnapshot();
        Assert.Equal(72, records.Count(record => record.Level == LogLevel.Debug));
        Assert.DoesNotContain(records, record => record.Level > LogLevel.Debug);
    }

    [Fact]
    public void A_target_that_stays_above_is_reminded_every_RepeatEvery_with_the_loss_now()
    {
        Echoes(20 * 60, lost: true);

        var warnings = _logger.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Warning).Select(record => record.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("Target cloudflare (192.0.2.1) losing echoes: 1 of 1 lost in the last 1 min (100 %, above 5 %)", warnings[0], StringComparison.Ordinal);
        Assert.Equal("Target cloudflare (192.0.2.1) still losing echoes after 15 min: 61 of 61 lost in the last 1 min (100 %), above 5 % since 2026-12-04T14:02:00.0000000+00:00, the last no_route", warnings[1]);
    }

    private void Echoes(int count, bool lost)
    {
        for (var i = 0; i < count; i++)
        {
            _recorder.Record(lost
                ? new PingResult(Target, _sequence++, _clock.GetUtcNow(), PingOutcome.NoRoute, null, "no route to host")
                : new PingResult(Target, _sequence++, _clock.GetUtcNow(), PingOutcome.Reply, TimeSpan.FromMilliseconds(10)));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
