using System.Net;
using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Outages;

/// <summary>The outage's lines: its start, a reminder every RepeatEvery while it lasts (timed by the echoes), its end.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class OutageLogRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 2, 0, TimeSpan.Zero);
    private static readonly PingTarget Target = new("cloudflare", IPAddress.Parse("192.0.2.1"), TargetRole.Public);

    [Fact]
    public void An_outage_of_forty_minutes_is_its_start_two_reminders_and_its_end()
    {
        var clock = new FakeTimeProvider(T0 + TimeSpan.FromSeconds(5));
        var logger = new FakeLogger<OutageLogRecorder>();
        var recorder = new OutageLogRecorder(logger, clock, Options.Create(new LoggingOptions()));

        Echoes(recorder, clock, 60, T0 - TimeSpan.FromMinutes(1)); // before it: no line
        recorder.Record(new OutageStarted(T0, OutageCause.Internet, T0 + TimeSpan.FromSeconds(5)));
        Echoes(recorder, clock, 40 * 60, T0);
        recorder.Record(new OutageEnded(T0, OutageCause.Internet, clock.GetUtcNow()));
        Echoes(recorder, clock, 20 * 60, T0);

        var lines = logger.Collector.GetSnapshot().Select(record => (record.Level, record.Message)).ToList();
        Assert.Equal(4, lines.Count);
        Assert.StartsWith("Internet DOWN (cause internet) since 2026-12-04T14:02:00", lines[0].Message, StringComparison.Ordinal);
        Assert.Equal((LogLevel.Error, "Internet still DOWN (cause internet) since 2026-12-04T14:02:00.0000000+00:00: 15 min 5 s so far"), lines[1]);
        Assert.Equal((LogLevel.Error, "Internet still DOWN (cause internet) since 2026-12-04T14:02:00.0000000+00:00: 30 min 5 s so far"), lines[2]);
        Assert.StartsWith("Internet UP again", lines[3].Message, StringComparison.Ordinal);
    }

    /// <summary>One echo a second; the clock is the monotonic one, the wall-clock send times do not matter here.</summary>
    private static void Echoes(OutageLogRecorder recorder, FakeTimeProvider clock, int seconds, DateTimeOffset sentFrom)
    {
        for (var i = 0; i < seconds; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            recorder.Record(new PingResult(Target, (ushort)i, sentFrom + TimeSpan.FromSeconds(i), PingOutcome.Timeout, null));
        }
    }
}
