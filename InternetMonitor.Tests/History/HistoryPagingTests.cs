using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.History;

/// <summary>
/// Keyset paging in the reader, no probe needed: for every page size, following each page's cursor reads every row of
/// the range once, in order, rows that share a time included (split across pages by their tie-breaker); every page but
/// the last is full and has a cursor, the last has none; a range with nothing in it is one empty page.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class HistoryPagingTests : IDisposable
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-paging-").FullName;
    private readonly FakeTimeProvider _clock = new(Hour.AddHours(2));

    public HistoryPagingTests()
    {
        // Three rows at each of several times (the tie-breakers: target, row id), and rows just outside the range.
        using var writer = HistoryFile.Writer(DatabasePath);
        var test = HistoryWriterTests.SpeedTest();
        var rows = new List<HistoryRow>();
        for (var minute = -1; minute <= 7; minute++)
        {
            var time = Hour.AddMinutes(minute);
            foreach (var target in (string[])["b", "a", "c"])
            {
                rows.Add(new LatencyMinuteRow(target, "public", "127.0.0.1", time, 60, minute & 1, 1, 2, 3, 4));
                rows.Add(new SpeedTestRow(test with { Start = time, End = time.AddSeconds(30), Server = target }));
                rows.Add(new AlertRow(new AlertNotification(time, "alert-log", "firing", "A" + target, "critical", "s", "d", time, null, $"{target}{minute}", new Dictionary<string, string>())));
            }

            rows.Add(new OutageRow(new OutageEnded(time, OutageCause.Internet, time.AddSeconds(90))));
        }

        Assert.True(writer.Commit([.. rows]));
    }

    private string DatabasePath => Path.Combine(_folder, "history.db");

    private static DateTimeOffset From => Hour;

    private static DateTimeOffset To => Hour.AddMinutes(7);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(21)]
    [InlineData(100)]
    public void Following_the_cursors_reads_every_row_once_in_order_for_any_page_size(int limit)
    {
        var reader = Reader();

        var latency = ReadAll(after => reader.Latency(From, To, null, limit, after), limit);
        var speedTests = ReadAll(after => reader.SpeedTests(From, To, limit, after), limit);
        var alerts = ReadAll(after => reader.Alerts(From, To, limit, after), limit);
        var outages = ReadAll(after => reader.Outages(From, To, limit, after), limit);

        var expected = Enumerable.Range(0, 7).SelectMany(minute => new[] { "a", "b", "c" }.Select(target => (Hour.AddMinutes(minute), target))).ToList();
        Assert.Equal(expected, latency.Select(row => (row.Minute, row.Target)));
        Assert.Equal(expected.Select(row => row.Item1), speedTests.Select(row => row.StartedAt));
        Assert.Equal(21, speedTests.Select(row => (row.StartedAt, row.Server)).Distinct().Count());
        Assert.Equal(21, alerts.Select(row => row.Fingerprint).Distinct().Count());
        Assert.Equal(expected.Select(row => row.Item1), alerts.Select(row => row.ReceivedAt));

        // Outages overlapping the range: the one that began a minute before it and ended in it (90 s long), too.
        Assert.Equal(Enumerable.Range(-1, 8).Select(minute => Hour.AddMinutes(minute)), outages.Select(row => row.StartedAt));
    }

    [Fact]
    public void A_target_filter_pages_over_that_target_alone()
    {
        var reader = Reader();

        var rows = ReadAll(after => reader.Latency(From, To, "b", 2, after), 2);

        Assert.Equal(Enumerable.Range(0, 7).Select(minute => Hour.AddMinutes(minute)), rows.Select(row => row.Minute));
        Assert.All(rows, row => Assert.Equal("b", row.Target));
    }

    [Fact]
    public void A_page_that_ends_on_the_last_row_of_the_range_has_no_cursor()
    {
        using var page = Reader().Latency(From, To, null, 21);

        Assert.Equal(21, page.Count());
        Assert.Null(page.Next);
    }

    [Fact]
    public void A_range_with_no_rows_is_one_empty_page()
    {
        using var page = Reader().SpeedTests(Hour.AddDays(1), Hour.AddDays(2), 10);

        Assert.Empty(page);
        Assert.Null(page.Next);
    }

    [Fact]
    public void A_cursor_survives_its_text_and_no_other_table_takes_it()
    {
        var cursor = new HistoryCursor(HistoryReader.LatencyTable, Hour.ToUnixTimeMilliseconds(), Target: "a|b,c");

        Assert.True(HistoryCursor.TryDecode(cursor.Encode(), HistoryReader.LatencyTable, out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.DoesNotContain('=', cursor.Encode()); // base64url, unpadded: safe in a query as it is
        Assert.False(HistoryCursor.TryDecode(cursor.Encode(), HistoryReader.SpeedTestTable, out _));
        Assert.False(HistoryCursor.TryDecode("not a cursor!", HistoryReader.LatencyTable, out _));
        Assert.False(HistoryCursor.TryDecode(string.Empty, HistoryReader.LatencyTable, out _));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Every page from the first, each after the cursor of the one before; asserts that each but the last is full.</summary>
    private static List<T> ReadAll<T>(Func<HistoryCursor?, HistoryPage<T>> read, int limit)
    {
        var rows = new List<T>();
        HistoryCursor? after = null;
        for (var pages = 1; ; pages++)
        {
            using var page = read(after);
            var count = rows.Count;
            rows.AddRange(page);
            Assert.True(pages < 1000, "the pages never end");
            if (page.Next is null)
            {
                Assert.InRange(rows.Count - count, 0, limit);
                return rows;
            }

            Assert.Equal(limit, rows.Count - count);
            after = page.Next;
        }
    }

    private HistoryReader Reader() => new(Options.Create(new HistoryOptions { Path = DatabasePath }), _clock, NullLogger<HistoryReader>.Instance);
}
