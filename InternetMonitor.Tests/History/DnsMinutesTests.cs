using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.History;

/// <summary>DNS results gathered into one row per server and minute, written and read back, against figures worked out by hand.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class DnsMinutesTests : IDisposable
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("im-dns-minutes-").FullName;

    private static DnsResult Answer(string server, DateTimeOffset at, double ms) =>
        new(new DnsQuery(server, null, "example.com", DnsRecordType.A), at, TimeSpan.FromMilliseconds(ms), "NOERROR", 1, null);

    private static DnsResult Failure(string server, DateTimeOffset at) =>
        new(new DnsQuery(server, null, "example.com", DnsRecordType.A), at, TimeSpan.FromSeconds(2), null, 0, "timeout");

    [Fact]
    public void A_minute_gives_queries_failures_and_the_median_of_the_answered_once_its_queries_have_had_their_timeout()
    {
        var minutes = new DnsMinutes(TimeSpan.FromSeconds(7));
        minutes.Add(Answer("quad9", Minute.AddSeconds(1), 10));
        minutes.Add(Answer("quad9", Minute.AddSeconds(31), 30));
        minutes.Add(Answer("quad9", Minute.AddSeconds(45), 20));
        minutes.Add(Failure("quad9", Minute.AddSeconds(50)));
        minutes.Add(Failure("google", Minute.AddSeconds(50)));

        Assert.Empty(minutes.Take(Minute.AddMinutes(1).AddSeconds(6)));
        var rows = minutes.Take(Minute.AddMinutes(1).AddSeconds(7));

        Assert.Equal([new DnsMinuteRow("google", Minute, 1, 1, null), new DnsMinuteRow("quad9", Minute, 4, 1, 20)], rows);
    }

    [Fact]
    public async Task Minutes_are_kept_a_second_one_for_the_same_minute_is_added_and_the_retention_deletes_them_with_the_latency()
    {
        var path = Path.Combine(_folder, "history.db");
        using (var writer = HistoryFile.Writer(path))
        {
            Assert.True(writer.Commit(new DnsMinuteRow("quad9", Minute, 4, 1, 20), new DnsMinuteRow("quad9", Minute, 2, 0, 50), new DnsMinuteRow("quad9", Minute.AddMinutes(-90), 2, 2, null)));
        }

        var reader = new HistoryReader(Options.Create(new HistoryOptions { Path = path }), new FakeTimeProvider(Minute.AddHours(1)), NullLogger<HistoryReader>.Instance);
        var minutes = reader.DnsMinutes(Minute.AddHours(-1), Minute.AddHours(1));

        // 3 answered at 20 ms and 2 at 50 ms: the median estimated as their weighted mean, 32 ms.
        Assert.Equal([new DnsMinuteRecord(Minute, "quad9", 6, 1, 32)], minutes);
        using (var writer = HistoryFile.Writer(path))
        {
            Assert.Equal(1, await writer.DeleteLatencyBeforeAsync(Minute)); // the old DNS minute (there is no latency minute)
        }

        Assert.Single(reader.DnsMinutes(Minute.AddHours(-2), Minute.AddHours(1)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
