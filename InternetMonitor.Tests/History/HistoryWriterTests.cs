using System.Globalization;
using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace InternetMonitor.Tests.History;


/// <summary>
/// The history database on real files: every kind of row written and read back as the API will read it, and each way a
/// database can refuse (locked, not a database, from a newer probe, a write that hangs; read-only and full file systems in
/// <see cref="HistoryFileSystemTests"/>) reported while
/// the rows wait and are written once it accepts again, the file never replaced. The writer's clock is a fake one: its
/// retries and its hang watch run when a test moves the clock on, not after seconds of real time.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class HistoryWriterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-test-").FullName;
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly FakeTimeProvider _clock = new(Start);

    private string DatabasePath => Path.Combine(_folder, "history.db");

    [Fact]
    public void A_new_database_gets_the_schema_and_every_kind_of_row_reads_back()
    {
        using var writer = Writer();

        Assert.True(writer.Commit(new SpeedTestRow(SpeedTest())));
        Assert.True(writer.Commit(new OutageRow(new OutageStarted(Start, OutageCause.Internet, Start.AddSeconds(5)))));
        Assert.True(writer.Commit(new OutageRow(new OutageEnded(Start, OutageCause.Internet, Start.AddSeconds(95)))));
        Assert.True(writer.Commit(new AlertRow(Alert()), new AlertRow(Alert() with { ReceivedAt = Start.AddMinutes(5) }))); // a repeat: kept once
        Assert.True(writer.Commit(new LatencyMinuteRow("cloudflare", "public", "1.1.1.1", Start, 60, 3, 9.5, 11.25, 14, 30.5, 2.5)));

        using var connection = Open();
        Assert.Equal(HistorySchema.Version, HistoryFile.Scalar<long>(connection, "PRAGMA user_version"));
        Assert.Equal("wal", HistoryFile.Scalar<string>(connection, "PRAGMA journal_mode"));
        Assert.Equal(
            "1795543200000|1795543230000|peer|cloudflare|80000000|16000000|200000000|40000000|12.5|1.5|95|40||",
            HistoryFile.Row(connection, "SELECT started_at, ended_at, server, server_type, download_bits_per_second, upload_bits_per_second, download_bytes, upload_bytes, idle_latency_ms, idle_jitter_ms, download_latency_ms, upload_latency_ms, reason, failed_in FROM speed_tests"));
        Assert.Equal("1795543200000|1795543295000|internet", HistoryFile.Row(connection, "SELECT started_at, ended_at, cause FROM outages"));
        Assert.Equal(1, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM alerts"));
        Assert.Equal("firing|InternetDown|critical|{\"alertname\":\"InternetDown\",\"site\":\"home\"}", HistoryFile.Row(connection, "SELECT status, alert_name, severity, labels FROM alerts"));
        Assert.Equal("cloudflare|1795543200000|public|1.1.1.1|60|3|9.5|11.25|14|30.5|2.5", HistoryFile.Row(connection, "SELECT * FROM latency_minutes"));
        Assert.Equal(1, Metric("internet_monitor_history_rows_written_total", "table", "speed_tests"));
        Assert.Equal(2, Metric("internet_monitor_history_rows_written_total", "table", "outages"));
        Assert.Equal(1, Metric("internet_monitor_history_healthy"));
    }

    [Fact]
    public void A_second_row_for_a_minute_the_history_holds_is_merged_into_it_and_none_is_lost()
    {
        using var writer = Writer();
        Assert.True(writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start, 60, 0, 2, 4, 6, 8)));
        Assert.True(writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start, 30, 10, 1, 10, 12, 20))); // the clock set back over the minute
        Assert.True(writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start, 5, 5, null, null, null, null)));

        // One row: the counts added, the extremes kept, median and p90 weighted by the answers (60 and 20): 5.5 and 7.5.
        using var connection = Open();
        Assert.Equal("1|95|15|1|5.5|7.5|20", HistoryFile.Row(connection, "SELECT count(*), sum(sent), sum(lost), min(min_ms), max(median_ms), max(p90_ms), max(max_ms) FROM latency_minutes"));
    }

    [Fact]
    public void A_failed_speed_test_is_kept_with_its_reason_and_no_speed()
    {
        using var writer = Writer();
        var failed = SpeedTest() with { Download = null, Upload = null, Reason = "timeout", FailedIn = SpeedTestPhase.Download, Detail = "no byte in 10 s" };

        Assert.True(writer.Commit(new SpeedTestRow(failed)));

        using var connection = Open();
        Assert.Equal("|||0|0|timeout|download|no byte in 10 s", HistoryFile.Row(connection, "SELECT download_bits_per_second, upload_bits_per_second, download_latency_ms, download_bytes, upload_bytes, reason, failed_in, detail FROM speed_tests"));
    }

    [Fact]
    public void A_database_of_the_first_schema_with_rows_in_it_is_migrated_at_open_and_keeps_them()
    {
        // The first schema as it was released (version 1), with a row, as an older probe left it.
        using (var old = Open())
        {
            HistoryFile.Execute(old, FirstSchema + "\nPRAGMA user_version = 1;");
            HistoryFile.Execute(old, "INSERT INTO outages (started_at, ended_at, cause) VALUES (1795543200000, 1795543260000, 'internet');");
        }

        using var writer = Writer();

        Assert.True(writer.Commit(new OutageRow(new OutageStarted(Start.AddHours(1), OutageCause.Local, Start.AddHours(1)))));
        using var connection = Open();
        Assert.Equal(HistorySchema.Version, HistoryFile.Scalar<long>(connection, "PRAGMA user_version"));
        Assert.Equal(2, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM outages"));
        Assert.Equal("1795543200000|1795543260000|internet", HistoryFile.Row(connection, "SELECT started_at, ended_at, cause FROM outages WHERE cause = 'internet'"));
    }

    [Fact]
    public void Alerts_of_the_first_schema_are_all_kept_given_their_identity_and_a_repeat_of_one_adds_nothing()
    {
        using (var old = Open())
        {
            HistoryFile.Execute(old, FirstSchema + "\nPRAGMA user_version = 1;");
            HistoryFile.Execute(old, """
                INSERT INTO alerts (received_at, status, alert_name, severity, summary, description, starts_at, ends_at, fingerprint, labels)
                VALUES (1795543200000, 'firing', 'InternetDown', 'critical', '', '', 1795543100000, NULL, 'abc123', '{"alertname":"InternetDown"}'),
                       (1795543200000, 'firing', 'Manual', '', '', '', 1795543100000, NULL, '', '{"alertname":"Manual"}');
                """);
        }

        using var writer = Writer();
        var (again, _) = AlertNotification.From(new AlertmanagerWebhook
        {
            Status = "firing",
            Alerts =
            [
                new AlertmanagerAlert { Labels = new Dictionary<string, string?> { ["alertname"] = "InternetDown" }, StartsAt = DateTimeOffset.FromUnixTimeMilliseconds(1795543100000), Fingerprint = "abc123" },
                new AlertmanagerAlert { Labels = new Dictionary<string, string?> { ["alertname"] = "Manual" }, StartsAt = DateTimeOffset.FromUnixTimeMilliseconds(1795543100000) },
            ],
        }, Start);

        Assert.True(writer.Commit([.. again.Select(alert => new AlertRow(alert))]));
        using var connection = Open();
        Assert.Equal(2, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM alerts"));
        Assert.Equal("fp:abc123|labels:{\"alertname\":\"Manual\"}", HistoryFile.Scalar<string>(connection, "SELECT group_concat(identity, '|') FROM (SELECT identity FROM alerts ORDER BY id)"));
    }

    [Fact]
    public async Task A_database_written_by_a_newer_probe_is_left_as_it_is_and_reported_degraded()
    {
        using (var connection = Open())
        {
            HistoryFile.Execute(connection, "CREATE TABLE future (x); PRAGMA user_version = 99;");
        }

        using var writer = Writer();

        Assert.False(writer.Commit(new OutageRow(new OutageStarted(Start, OutageCause.Local, Start))));
        Assert.Equal("newer_schema", writer.Status.Reason);
        Assert.Contains("schema version 99", writer.Status.Message, StringComparison.Ordinal);
        Assert.Equal(1, writer.Status.Pending);
        Assert.Equal(HealthStatus.Degraded, (await new HistoryHealthCheck(writer).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken)).Status);
        Assert.Equal(1, Metric("internet_monitor_history_write_failures_total", "reason", "newer_schema"));
        Assert.Equal(0, Metric("internet_monitor_history_healthy"));
        Assert.Equal(1, Metric("internet_monitor_history_pending_rows"));
        using var check = Open();
        Assert.Equal(99, HistoryFile.Scalar<long>(check, "PRAGMA user_version"));
        Assert.Equal(0, HistoryFile.Scalar<long>(check, "SELECT count(*) FROM sqlite_master WHERE name = 'outages'"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_reported_never_replaced_and_the_rows_wait_until_it_is_moved_aside()
    {
        var garbage = "this is not a SQLite database, and it is the user's"u8.ToArray().Concat(new byte[4096]).ToArray();
        File.WriteAllBytes(DatabasePath, garbage);
        using var writer = Writer();

        Assert.False(writer.Flush()); // found at open, with nothing waiting yet: as when the probe starts
        Assert.False(writer.Commit(new OutageRow(new OutageStarted(Start, OutageCause.Local, Start))));
        Assert.False(writer.Commit(new OutageRow(new OutageEnded(Start, OutageCause.Local, Start.AddMinutes(2)))));

        Assert.Equal("corrupt", writer.Status.Reason);
        Assert.Equal(2, writer.Status.Pending);
        Assert.Equal(garbage, File.ReadAllBytes(DatabasePath));

        // Moved aside, as the message says: the writer finds out by itself (it tries again every 10 s).
        File.Move(DatabasePath, DatabasePath + ".damaged");
        await RetriesUntilHealthy(writer);
        using var connection = Open();
        Assert.Equal("1795543200000|1795543320000|local", HistoryFile.Row(connection, "SELECT started_at, ended_at, cause FROM outages"));
    }

    [Fact]
    public async Task A_locked_database_makes_rows_wait_and_they_are_written_once_it_is_free()
    {
        using var writer = Writer();
        Assert.True(writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start, 60, 0, 1, 1, 1, 1)));
        using (var other = Open())
        {
            HistoryFile.Execute(other, "BEGIN EXCLUSIVE;");

            Assert.False(writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start.AddMinutes(1), 60, 0, 1, 1, 1, 1))); // after the 1 s busy timeout
            Assert.Equal("busy", writer.Status.Reason);
            Assert.Equal(1, Metric("internet_monitor_history_write_failures_total", "reason", "busy"));

            // While it fails, a caller does not wait on it: the row waits, and no attempt is made for it.
            var waiting = writer.CommitAsync(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start.AddMinutes(2), 60, 0, 1, 1, 1, 1));
            Assert.True(waiting.IsCompleted);
            Assert.Equal(HistoryCommit.Waiting, await waiting);
            Assert.Equal(1, Metric("internet_monitor_history_write_failures_total", "reason", "busy"));
            Assert.Equal(2, writer.Status.Pending);
            Assert.Equal(2, Metric("internet_monitor_history_pending_rows"));

            // Nor does it try again before its time, however long the lock lasts in real time.
            _clock.Advance(HistoryWriter.RetryEvery - TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, Metric("internet_monitor_history_write_failures_total", "reason", "busy"));
            HistoryFile.Execute(other, "ROLLBACK;");
        }

        // The writer tries again by itself (every 10 s): no write or flush is needed to bring it back.
        await RetriesUntilHealthy(writer);

        using var connection = Open();
        Assert.Equal(3, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes"));
        Assert.Equal(0, Metric("internet_monitor_history_pending_rows"));
    }

    [Fact]
    public async Task A_write_that_hangs_reads_slow_and_callers_do_not_wait_on_it_until_it_ends()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        using var writer = Writer();
        Assert.True(writer.Flush());

        // The disk stops answering in the middle of a write (a row that blocks stands for it).
        var hanging = writer.CommitAsync(new HangingRow(entered, release, new LatencyMinuteRow("lo", "public", "127.0.0.1", Start, 60, 0, 1, 1, 1, 1)));
        Assert.True(entered.Wait(Poll.Deadline, TestContext.Current.CancellationToken), "the write never began");
        _clock.Advance(HistoryWriter.CommitWait - TimeSpan.FromMilliseconds(1));
        Assert.True(writer.Status.Healthy); // not yet: a write may take its time
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("slow", writer.Status.Reason);
        Assert.Equal(HistoryCommit.Waiting, await hanging); // its caller hears at once that the row waits
        Assert.Equal(HealthStatus.Degraded, (await new HistoryHealthCheck(writer).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken)).Status);
        Assert.Equal(1, Metric("internet_monitor_history_write_failures_total", "reason", "slow"));
        Assert.Equal(0, Metric("internet_monitor_history_healthy"));

        // A caller hands its row over and does not wait: the gauge counts it at once as waiting.
        var next = writer.CommitAsync(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start.AddMinutes(1), 60, 0, 1, 1, 1, 1));
        Assert.True(next.IsCompleted);
        Assert.Equal(2, Metric("internet_monitor_history_pending_rows"));

        release.Set(); // the disk answers again
        await Poll.UntilAsync(() => writer.Status.Healthy && writer.Status.Pending == 0, "the writer never wrote the rows after the disk answered");
        using var connection = Open();
        Assert.Equal(2, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes"));
    }

    [Fact]
    public async Task Latency_rollups_older_than_the_retention_are_deleted_and_the_rest_kept()
    {
        using var writer = Writer();
        writer.Write([.. Enumerable.Range(0, 10).Select(day => new LatencyMinuteRow("lo", "public", "127.0.0.1", Start.AddDays(-day), 60, 0, 1, 1, 1, 1))]);

        Assert.Equal(6, await writer.DeleteLatencyBeforeAsync(Start.AddDays(-3.5)));

        using var connection = Open();
        Assert.Equal(4, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes"));
    }

    [Fact]
    public async Task With_history_off_nothing_is_written()
    {
        using var writer = Writer(enabled: false);

        Assert.Equal(HistoryCommit.Off, await writer.CommitAsync(new OutageRow(new OutageStarted(Start, OutageCause.Local, Start))));
        writer.Write(new OutageRow(new OutageEnded(Start, OutageCause.Local, Start.AddMinutes(1))));
        Assert.True(await writer.FlushAsync());

        Assert.False(File.Exists(DatabasePath));
    }

    /// <summary>Version 1 of the schema, frozen here as released, so that a later migration is tested from it.</summary>
    private static readonly string FirstSchema = """
        CREATE TABLE speed_tests (id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, server TEXT NOT NULL, server_type TEXT NOT NULL,
            download_bits_per_second REAL, upload_bits_per_second REAL, download_bytes INTEGER NOT NULL, upload_bytes INTEGER NOT NULL, idle_latency_ms REAL,
            idle_jitter_ms REAL, download_latency_ms REAL, upload_latency_ms REAL, reason TEXT, failed_in TEXT, detail TEXT, UNIQUE (started_at, server));
        CREATE TABLE outages (id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL UNIQUE, ended_at INTEGER, cause TEXT NOT NULL);
        CREATE TABLE alerts (id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, status TEXT NOT NULL, alert_name TEXT NOT NULL, severity TEXT NOT NULL,
            summary TEXT NOT NULL, description TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER, fingerprint TEXT NOT NULL, labels TEXT NOT NULL,
            UNIQUE (fingerprint, status, starts_at));
        CREATE TABLE latency_minutes (target TEXT NOT NULL, minute INTEGER NOT NULL, role TEXT NOT NULL, address TEXT NOT NULL, sent INTEGER NOT NULL,
            lost INTEGER NOT NULL, min_ms REAL, median_ms REAL, p90_ms REAL, max_ms REAL, PRIMARY KEY (target, minute)) WITHOUT ROWID;
        CREATE INDEX speed_tests_by_start ON speed_tests (started_at);
        CREATE INDEX alerts_by_time ON alerts (received_at);
        CREATE INDEX latency_minutes_by_minute ON latency_minutes (minute);
        """;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    internal static SpeedTestResult SpeedTest()
    {
        var idle = new LatencySummary([TimeSpan.FromMilliseconds(11), TimeSpan.FromMilliseconds(12.5), TimeSpan.FromMilliseconds(14)]);
        var download = new DirectionResult(SpeedTestDirection.Download, 10_000_000, [], 200_000_000, 4, new LatencySummary([TimeSpan.FromMilliseconds(95)]), null, null);
        var upload = new DirectionResult(SpeedTestDirection.Upload, 2_000_000, [], 40_000_000, 2, new LatencySummary([TimeSpan.FromMilliseconds(40)]), null, null);
        return new SpeedTestResult("peer", SpeedTestServerType.Cloudflare, Start, Start.AddSeconds(30), idle, download, upload, null, null, null);
    }

    private static AlertNotification Alert() => new(
        Start, "alert-log", AlertNotification.Firing, "InternetDown", "critical", "The internet is down", "No public target answers",
        Start.AddMinutes(-1), null, "fp-1", new Dictionary<string, string> { ["alertname"] = "InternetDown", ["site"] = "home" });

    /// <summary>Moves the writer's clock on by its retry period and polls until it has taken the database back by itself.</summary>
    private async Task RetriesUntilHealthy(HistoryWriter writer)
    {
        Assert.False(writer.Status.Healthy);
        _clock.Advance(HistoryWriter.RetryEvery);
        await Poll.UntilAsync(() => writer.Status.Healthy, "the writer never took the database back after its retry period");
    }

    private HistoryWriter Writer(bool enabled = true) => new(
        Options.Create(new HistoryOptions { Enabled = enabled, Path = DatabasePath }), new HistoryMetrics(Metrics.WithCustomRegistry(_registry)), NullLogger<HistoryWriter>.Instance, _clock);

    private SqliteConnection Open() => HistoryFile.Open(DatabasePath);

    private double Metric(string name, string? label = null, string? value = null)
    {
        var text = Lab.MetricsText.ScrapeAsync(_registry, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        return label is null ? text.Value(name) ?? double.NaN : text.Value(name, (label, value!)) ?? double.NaN;
    }
}

/// <summary>A row whose write sets <paramref name="Entered"/> and blocks until <paramref name="Release"/> is set, as a disk that stops answering; then it writes <paramref name="Row"/>.</summary>
internal sealed record HangingRow(ManualResetEventSlim Entered, ManualResetEventSlim Release, HistoryRow Row) : HistoryRow
{
    public override string Table => Row.Table;

    public override void Write(SqliteCommand command)
    {
        Entered.Set();
        Release.Wait();
        Row.Write(command);
    }
}
