using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest;

namespace InternetMonitor.Tests.History;

/// <summary>
/// A history whose figures are known, around one whole hour three hours ago: two speed tests in it (80 and 16 Mbit/s;
/// a failed one with a formula-like detail) and one two hours before; 15 minutes of outage in the hour (the last 5 of
/// one that began before it, and a 10-minute local one); an alert; one minute of latency for two targets. (An outage
/// left going on here would be closed by the probe that opens it, as one a stopped run left open: see HistoryReaderTests.)
/// </summary>
public static class KnownHistory
{
    /// <summary>The whole hour, three hours ago, the history is written around.</summary>
    public static DateTimeOffset Hour()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-3);
    }

    public static void Write(string path, DateTimeOffset hour)
    {
        using var writer = HistoryFile.Writer(path);
        var test = HistoryWriterTests.SpeedTest();
        Assert.True(writer.Commit(
            new SpeedTestRow(test with { Start = hour.AddMinutes(10), End = hour.AddMinutes(10.5) }),
            new SpeedTestRow(test with { Start = hour.AddMinutes(40), End = hour.AddMinutes(41), Download = null, Upload = null, Reason = "http_error", FailedIn = SpeedTestPhase.Download, Detail = "=HYPERLINK(\"http://x\",\"click\")" }),
            new SpeedTestRow(test with { Start = hour.AddHours(-2), End = hour.AddHours(-2).AddSeconds(30) }),
            new OutageRow(new OutageEnded(hour.AddMinutes(-5), OutageCause.Internet, hour.AddMinutes(5))),
            new OutageRow(new OutageEnded(hour.AddMinutes(20), OutageCause.Local, hour.AddMinutes(30))),
            new AlertRow(new AlertNotification(hour.AddMinutes(25), "alert-log", "firing", "LocalNetworkDown", "critical", "The router is silent, too", "@SUM(1+1)", hour.AddMinutes(22), null, "f1", new Dictionary<string, string> { ["alertname"] = "LocalNetworkDown" })),
            new LatencyMinuteRow("cloudflare", "public", "1.1.1.1", hour.AddMinutes(1), 60, 0, 9, 10, 12, 20),
            new LatencyMinuteRow("gateway", "gateway", "192.168.1.1", hour.AddMinutes(1), 60, 6, 0.5, 0.6, 0.9, 1.5)));
    }
}
