using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Tests.History;

namespace InternetMonitor.Tests.Report;

/// <summary>
/// A history with a completed Bundesnetzagentur campaign in Europe/Berlin whose figures are known: 30 measurements, 10 on
/// each of the local days 9, 7 and 5 days ago (08:00 to 21:30, every 90 minutes), download 95 Mbit/s but 70 in the four
/// evening ones of the first two days (normally available speed 80 reached in 26 of 30, 27 needed: the one criterion
/// failed), upload 38; a plan of 100/40 maximum, 80/32 normal, 50/20 minimum. Beside it: a regular speed test of another
/// server, a 10-minute local and a 5-minute internet outage, latency minutes of two targets, and three DNS minutes of the
/// system resolver (36 queries, 15 failed).
/// </summary>
public static class KnownCampaign
{
    public const string Id = "bnetza-known";

    public const string Zone = "Europe/Berlin";

    /// <summary>The probe's arguments for the plan the campaign was started with, and its price.</summary>
    public static readonly string[] PlanArguments =
    [
        "--Monitor:Plan:DownloadMbps=100", "--Monitor:Plan:UploadMbps=40",
        "--Monitor:Plan:DownloadNormalMbps=80", "--Monitor:Plan:UploadNormalMbps=32",
        "--Monitor:Plan:DownloadMinimumMbps=50", "--Monitor:Plan:UploadMinimumMbps=20",
        "--Monitor:Plan:MonthlyPrice=39.99", "--Monitor:Plan:Currency=EUR",
        $"--Monitor:Report:TimeZone={Zone}", "--Monitor:Report:Wired=true",
    ];

    public static TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(Zone);

    private static readonly DateOnly Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(Zone)).DateTime);

    /// <summary>The local calendar day <paramref name="daysAgo"/> before today in Berlin (today taken once, so that a run over midnight keeps its days).</summary>
    public static DateOnly Day(int daysAgo) => Today.AddDays(-daysAgo);

    /// <summary>A local time in Berlin as an instant.</summary>
    public static DateTimeOffset At(DateOnly day, int hour, int minute = 0)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    public static DateTimeOffset Start => At(Day(9), 7);

    public static DateTimeOffset End => At(Day(5), 23, 30);

    /// <summary>The campaign's 30 measurements: (start, download, upload) in Mbit/s.</summary>
    public static IReadOnlyList<(DateTimeOffset Start, double Download, double Upload)> Measurements()
    {
        var measurements = new List<(DateTimeOffset, double, double)>();
        foreach (var (daysAgo, index) in new[] { 9, 7, 5 }.Select((daysAgo, index) => (daysAgo, index)))
        {
            for (var i = 0; i < 10; i++)
            {
                var start = At(Day(daysAgo), 8).AddMinutes(90 * i); // 08:00 ... 21:30; the last two (20:00, 21:30) in the evening
                var slow = index < 2 && i >= 8;
                measurements.Add((start, slow ? 70 : 95, 38));
            }
        }

        return measurements;
    }

    public static void Write(string path)
    {
        using var writer = HistoryFile.Writer(path);
        var test = HistoryWriterTests.SpeedTest();
        var rows = new List<HistoryRow>
        {
            new CampaignStartRow(new CampaignRecord(Id, "bnetza", Start, Zone, true, new CampaignPlan(100, 40, 80, 32, 50, 20))),
        };
        foreach (var (start, download, upload) in Measurements())
        {
            rows.Add(new SpeedTestRow(test with
            {
                Server = "peer",
                Start = start,
                End = start.AddSeconds(30),
                Download = test.Download! with { BytesPerSecond = download * 1e6 / 8 },
                Upload = test.Upload! with { BytesPerSecond = upload * 1e6 / 8 },
                Campaign = Id,
            }));
        }

        var regular = At(Day(8), 10);
        rows.Add(new SpeedTestRow(test with { Server = "other", Start = regular, End = regular.AddSeconds(30), Download = test.Download! with { BytesPerSecond = 50e6 / 8 } }));
        rows.Add(new OutageRow(new OutageEnded(At(Day(8), 12), OutageCause.Local, At(Day(8), 12, 10))));
        rows.Add(new OutageRow(new OutageEnded(At(Day(6), 3), OutageCause.Internet, At(Day(6), 3, 5))));
        for (var minute = 0; minute < 3; minute++)
        {
            rows.Add(new LatencyMinuteRow("cloudflare", "public", "1.1.1.1", At(Day(9), 9, minute), 60, minute == 1 ? 3 : 0, 9, 10 + (5 * minute), 15 + (5 * minute), 30, 2));
        }

        rows.Add(new LatencyMinuteRow("gateway", "gateway", "192.168.1.1", At(Day(9), 9), 60, 0, 0.5, 0.6, 0.9, 1.5, 0.1));
        rows.Add(new DnsMinuteRow("system", At(Day(9), 9), 12, 0, 20));
        rows.Add(new DnsMinuteRow("system", At(Day(9), 9, 1), 12, 3, 25));
        rows.Add(new DnsMinuteRow("system", At(Day(9), 9, 2), 12, 12, null));
        rows.Add(new CampaignEndRow(Id, End, "completed", "30 measurements on 3 days"));
        Assert.True(writer.Commit([.. rows]));
    }
}
