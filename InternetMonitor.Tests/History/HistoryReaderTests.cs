using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace InternetMonitor.Tests.History;

/// <summary>
/// The reader's arithmetic on a fixed clock, no probe needed: availability with outages that overlap, go on, or were
/// left open by a run that stopped (closed at its last measured minute when the next run opens the history).
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class HistoryReaderTests : IDisposable
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-reader-").FullName;
    private readonly FakeTimeProvider _clock = new(Hour.AddHours(1));

    private string DatabasePath => Path.Combine(_folder, "history.db");

    [Fact]
    public void Overlapping_outages_count_once_and_one_going_on_counts_to_now()
    {
        using (var writer = Writer())
        {
            Assert.True(writer.Commit(
                new OutageRow(new OutageEnded(Hour.AddMinutes(10), OutageCause.Internet, Hour.AddMinutes(20))),
                new OutageRow(new OutageEnded(Hour.AddMinutes(15), OutageCause.Local, Hour.AddMinutes(25))), // 5 of its minutes overlap the first
                new OutageRow(new OutageStarted(Hour.AddMinutes(50), OutageCause.Internet, Hour.AddMinutes(50)))));
        }

        var availability = Reader().Availability(Hour, Hour.AddHours(2)); // the range is cut at now (Hour + 1 h)

        // Down: 10..25 (15 min) and 50..60 (10 min, going on) = 25 of 60 minutes.
        Assert.Equal((3600.0, 1500.0, 3), (availability.Seconds, availability.OutageSeconds, availability.Outages));
        Assert.Equal(Math.Round(1 - (1500.0 / 3600), 6), availability.Availability);
        Assert.Equal(Hour.AddHours(1), availability.To);
    }

    [Fact]
    public void An_outage_left_open_by_a_run_that_stopped_ends_at_its_last_measured_minute_when_the_history_opens_again()
    {
        using (var writer = Writer())
        {
            Assert.True(writer.Commit(
                new LatencyMinuteRow("lo", "public", "127.0.0.1", Hour.AddMinutes(12), 60, 60, null, null, null, null),
                new OutageRow(new OutageStarted(Hour.AddMinutes(10), OutageCause.Internet, Hour.AddMinutes(10)))));
        }

        using (var next = Writer())
        {
            Assert.True(next.Flush()); // opening it closes what the last run left open
        }

        using var outages = Reader().Outages(Hour, Hour.AddHours(1), 10);
        var outage = Assert.Single(outages);
        Assert.Equal((Hour.AddMinutes(13), false, 180.0), (outage.EndedAt!.Value, outage.Ongoing, outage.DurationSeconds));
    }

    [Fact]
    public void An_outage_left_open_by_a_run_that_began_a_year_behind_the_history_ends_with_that_run_not_at_the_history_end()
    {
        var stale = Hour.AddDays(-365); // the run started with a clock a year behind the rows the history held
        using (var writer = Writer())
        {
            Assert.True(writer.Commit([
                .. Enumerable.Range(0, 5).Select(minute => new LatencyMinuteRow("lo", "public", "127.0.0.1", Hour.AddMinutes(minute), 60, 0, 1, 1, 1, 1)),
                .. Enumerable.Range(0, 4).Select(minute => new LatencyMinuteRow("lo", "public", "127.0.0.1", stale.AddMinutes(minute), 60, minute == 0 ? 0 : 60, null, null, null, null)),
                new OutageRow(new OutageStarted(stale.AddMinutes(1), OutageCause.Internet, stale.AddMinutes(1).AddSeconds(5)))]));
        }

        using (var next = Writer())
        {
            Assert.True(next.Flush());
        }

        using var outages = Reader().Outages(stale, Hour.AddHours(1), 10);
        var outage = Assert.Single(outages);
        Assert.Equal((stale.AddMinutes(4), 180.0), (outage.EndedAt!.Value, outage.DurationSeconds)); // not a year and four minutes
    }

    [Fact]
    public void With_a_clock_behind_the_history_its_rows_read_and_no_duration_is_negative_and_the_outage_going_on_lasts_what_the_detector_measured()
    {
        var ahead = Hour.AddDays(365); // rows a run with the right time wrote; this clock is a year behind them
        using (var writer = Writer())
        {
            Assert.True(writer.Commit(
                new LatencyMinuteRow("lo", "public", "127.0.0.1", ahead, 60, 0, 1, 1, 1, 1),
                new OutageRow(new OutageEnded(ahead.AddMinutes(1), OutageCause.Internet, ahead.AddMinutes(2))),
                new OutageRow(new OutageStarted(ahead.AddMinutes(3), OutageCause.Local, ahead.AddMinutes(3))),
                new OutageRow(new OutageStarted(ahead.AddMinutes(10), OutageCause.Internet, ahead.AddMinutes(10)))));
        }

        var connectivity = Substitute.For<IConnectivity>();
        connectivity.CurrentOutage.Returns(new OngoingOutage(ahead.AddMinutes(10), TimeSpan.FromSeconds(90)));
        var reader = new HistoryReader(Options.Create(new HistoryOptions { Path = DatabasePath }), _clock, NullLogger<HistoryReader>.Instance, connectivity);

        using var outages = reader.Outages(ahead, ahead.AddHours(1), 10);
        Assert.Equal([60.0, 0.0, 90.0], outages.Select(outage => outage.DurationSeconds)); // the one left open by another run: 0, not minus a year
        using var latency = reader.Latency(ahead, ahead.AddHours(1), null, 10);
        Assert.Single(latency);
        var availability = reader.Availability(ahead, ahead.AddHours(1)); // a range after now: nothing of it has passed
        Assert.Equal((0.0, 1.0), (availability.Seconds, availability.Availability));
    }

    [Fact]
    public void Rows_are_given_oldest_first_within_the_range_and_the_limit()
    {
        using (var writer = Writer())
        {
            Assert.True(writer.Commit([.. Enumerable.Range(0, 5).Select(minute => new LatencyMinuteRow("lo", "public", "127.0.0.1", Hour.AddMinutes(minute), 60, 0, 1, 1, 1, 1))]));
        }

        using var rows = Reader().Latency(Hour.AddMinutes(1), Hour.AddMinutes(4), null, 2);
        using var none = Reader().Latency(Hour, Hour.AddHours(1), "gateway", 10);

        Assert.Equal([Hour.AddMinutes(1), Hour.AddMinutes(2)], rows.Select(row => row.Minute));
        Assert.Empty(none);
    }

    [Fact]
    public void A_campaign_is_kept_with_its_plan_and_its_end_and_its_speed_tests_name_it()
    {
        var plan = new CampaignPlan(100, 40, 80, 32, 50, 20);
        using (var writer = Writer())
        {
            Assert.True(writer.Commit(
                new CampaignStartRow(new CampaignRecord("bnetza-20261124-180000", "bnetza", Hour, "Europe/Berlin", true, plan)),
                new CampaignStartRow(new CampaignRecord("bnetza-20261124-170000", "bnetza", Hour.AddHours(-1), "UTC", null, plan)),
                new CampaignEndRow("bnetza-20261124-170000", Hour.AddMinutes(-30), "cancelled", "cancelled by the user"),
                new CampaignEndRow("bnetza-20261124-170000", Hour.AddMinutes(-10), "expired", "a second end changes nothing"),
                new SpeedTestRow(HistoryWriterTests.SpeedTest() with { Start = Hour.AddMinutes(5), End = Hour.AddMinutes(6), Campaign = "bnetza-20261124-180000" }),
                new SpeedTestRow(HistoryWriterTests.SpeedTest() with { Start = Hour.AddMinutes(7), End = Hour.AddMinutes(8) })));
        }

        var campaigns = Reader().Campaigns();

        Assert.Equal(["bnetza-20261124-180000", "bnetza-20261124-170000"], campaigns.Select(campaign => campaign.Id));
        Assert.Equal(new CampaignRecord("bnetza-20261124-180000", "bnetza", Hour, "Europe/Berlin", true, plan), campaigns[0]);
        Assert.True(campaigns[0].Running);
        Assert.Equal((Hour.AddMinutes(-30), "cancelled", (bool?)null), (campaigns[1].EndedAt!.Value, campaigns[1].Outcome!, campaigns[1].Wired));
        Assert.Equal(100, Reader().Campaign("bnetza-20261124-180000")!.Plan.ToOptions().DownloadMbps);
        using var tests = Reader().SpeedTests(Hour, Hour.AddHours(1), 10);
        Assert.Equal(["bnetza-20261124-180000", null], tests.Select(test => test.Campaign));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private HistoryWriter Writer() => HistoryFile.Writer(DatabasePath);

    private HistoryReader Reader() => new(Options.Create(new HistoryOptions { Path = DatabasePath }), _clock, NullLogger<HistoryReader>.Instance);
}
