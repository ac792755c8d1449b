using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Storage;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Tests.History;

/// <summary>
/// The history's files against links planted in its folder (the probe runs as root): the write test file, the
/// database and the files SQLite keeps beside it are never written through a link, the database is refused with one
/// reason (<c>symlink</c>), and what the writer creates is owner-only.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class HistoryLinkTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private static readonly byte[] VictimBytes = "a file of the system's that no probe may write"u8.ToArray();
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-link-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("im-history-victim-").FullName;
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    private string DatabasePath => Path.Combine(_folder, "history.db");

    private string Victim => Path.Combine(_elsewhere, "victim");

    [Fact]
    public void The_write_test_file_planted_as_a_link_is_deleted_and_never_written_through()
    {
        // A folder where the database should be: SQLite cannot open it ("io"), so the writer writes its test file
        // beside it to tell a read-only or full disk from another fault. (A lock alone reads "busy" and needs no test file.)
        Directory.CreateDirectory(DatabasePath);
        File.WriteAllBytes(Victim, VictimBytes);
        var testFile = Path.Combine(_folder, ".history.db.probe");
        File.CreateSymbolicLink(testFile, Victim);
        using var writer = Writer();

        Assert.False(writer.Commit(Row()));

        Assert.Equal("io", writer.Status.Reason);
        Assert.Equal(VictimBytes, File.ReadAllBytes(Victim));
        Assert.False(Path.Exists(testFile)); // the test file was made: the link deleted first (not its target), then its own file, then that
        Assert.Null(DataFiles.LinkTarget(testFile));
    }

    [Fact]
    public async Task A_database_that_is_a_link_is_refused_with_one_reason_and_its_target_stays_empty()
    {
        File.WriteAllBytes(Victim, []);
        File.CreateSymbolicLink(DatabasePath, Victim);
        using var writer = Writer();

        Assert.False(writer.Flush());
        Assert.False(writer.Commit(Row()));

        Assert.Equal("symlink", writer.Status.Reason);
        Assert.Equal($"{DatabasePath} is a symbolic link (to {Victim}): the probe follows no link in its data folder; remove the link", writer.Status.Message);
        Assert.Equal(1, writer.Status.Pending);
        var health = await new HistoryHealthCheck(writer).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("cannot be written (symlink)", health.Description, StringComparison.Ordinal);
        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.True(metrics.Value("internet_monitor_history_write_failures_total", ("reason", "symlink")) >= 1);
        Assert.Equal(0, metrics.Value("internet_monitor_history_healthy"));
        Assert.Empty(File.ReadAllBytes(Victim));
        Assert.Equal(["victim"], Directory.GetFileSystemEntries(_elsewhere).Select(Path.GetFileName)); // no -wal or -shm beside the target

        // The link removed, as the message says: the row waiting is written into a database of the probe's own.
        File.Delete(DatabasePath);
        Assert.True(writer.Flush());
        Assert.Null(DataFiles.LinkTarget(DatabasePath));
        using var connection = HistoryFile.Open(DatabasePath);
        Assert.Equal(1, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM outages"));
    }

    [Fact]
    public async Task A_probe_whose_database_is_a_link_says_so_once_and_keeps_measuring()
    {
        await using var network = await LabFixture.NamespaceAsync();
        File.WriteAllBytes(Victim, []);
        File.CreateSymbolicLink(DatabasePath, Victim);
        var settings = ProbeHost.Environment(ProbeHost.LoopbackArguments());
        settings["Monitor__DataDirectory"] = _folder; // history.db, the default, in there
        await using var probe = LabFixture.StartProbe(network, settings);

        var refused = await probe.UntilAsync(
            m => m.Value("internet_monitor_history_write_failures_total", ("reason", "symlink")) >= 1 && m.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) >= 1,
            "the history refused while the pings go on");
        var received = refused.Value("internet_monitor_ping_packets_received_total", ("target", "lo"))!.Value;
        await probe.UntilAsync(m => m.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) >= received + 5, "five more echoes after the refusal");

        Assert.Equal(0, refused.Value("internet_monitor_history_healthy"));
        var refusal = $"{DatabasePath} is a symbolic link (to {Victim}): the probe follows no link in its data folder; remove the link";
        Assert.Contains($"History database {DatabasePath} cannot be written (symlink): {refusal}", probe.Log, StringComparison.Ordinal);
        Assert.Single(probe.Log.Split('\n'), line => line.Contains("History database", StringComparison.Ordinal) && line.Contains("cannot be written (symlink)", StringComparison.Ordinal));
        Assert.Contains($"History kept in {DatabasePath} (data folder {_folder})", probe.Log, StringComparison.Ordinal);
        var health = await probe.TryGetAsync("/health");
        Assert.NotNull(health);
        Assert.Contains("cannot be written (symlink)", health, StringComparison.Ordinal);
        Assert.Contains("a file of the database is a symbolic link", health, StringComparison.Ordinal);
        Assert.DoesNotContain(DatabasePath, health, StringComparison.Ordinal); // /health is anyone's: the log names the file

        // Nor is it read: the history API answers 503 with the reason alone.
        Assert.Equal(503, await probe.HttpStatusAsync("/api/history/alerts"));
        Assert.Empty(File.ReadAllBytes(Victim));
        Assert.Equal(["victim"], Directory.GetFileSystemEntries(_elsewhere).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("-wal")]
    [InlineData("-shm")]
    [InlineData("-journal")]
    public void A_file_beside_the_database_planted_as_a_link_is_refused_and_its_target_left_as_it_was(string suffix)
    {
        using (var first = Writer())
        {
            Assert.True(first.Commit(Row())); // a database of the probe's own, closed cleanly (its -wal and -shm gone)
        }

        SqliteConnection.ClearAllPools();
        File.WriteAllBytes(Victim, VictimBytes);
        File.Delete(DatabasePath + suffix);
        File.CreateSymbolicLink(DatabasePath + suffix, Victim);
        using var writer = Writer();

        Assert.False(writer.Commit(Row()));

        Assert.Equal("symlink", writer.Status.Reason);
        Assert.StartsWith($"{DatabasePath}{suffix} is a symbolic link (to {Victim})", writer.Status.Message, StringComparison.Ordinal);
        Assert.Equal(VictimBytes, File.ReadAllBytes(Victim));
        Assert.Equal(Victim, DataFiles.LinkTarget(DatabasePath + suffix)); // left for the user to look at
    }

    [Fact]
    public void The_folder_it_creates_is_owner_only_and_so_are_the_database_and_the_files_beside_it()
    {
        var path = Path.Combine(_folder, "data", "kept", "history.db");
        using var writer = new HistoryWriter(Options.Create(new HistoryOptions { Path = path }), new HistoryMetrics(Metrics.WithCustomRegistry(_registry)), NullLogger<HistoryWriter>.Instance);

        Assert.True(writer.Commit(Row()));

        const UnixFileMode folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(folder, File.GetUnixFileMode(Path.Combine(_folder, "data")));
        Assert.Equal(folder, File.GetUnixFileMode(Path.Combine(_folder, "data", "kept")));
        Assert.Equal(file, File.GetUnixFileMode(path));
        Assert.Equal(file, File.GetUnixFileMode(path + "-wal")); // the writer's connection is open: SQLite keeps them
        Assert.Equal(file, File.GetUnixFileMode(path + "-shm"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }

    private static OutageRow Row() => new(new OutageStarted(Start, OutageCause.Local, Start));

    private HistoryWriter Writer() =>
        new(Options.Create(new HistoryOptions { Path = DatabasePath }), new HistoryMetrics(Metrics.WithCustomRegistry(_registry)), NullLogger<HistoryWriter>.Instance);
}
