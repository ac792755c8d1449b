using InternetMonitor.Probe.History;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Tests.History;

/// <summary>
/// The history writer on a real file system that turns read-only, then fills (a tmpfs, remounted): each reported with
/// its reason while the rows wait, and every waiting row written once it is fixed.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class HistoryFileSystemTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-fs-").FullName;

    private string DatabasePath => Path.Combine(_folder, "history.db");

    [Fact]
    public async Task A_read_only_then_a_full_file_system_are_reported_and_the_waiting_rows_are_written_when_they_are_fixed()
    {
        Prerequisite.RequireRoot();
        await Mount("-t", "tmpfs", "-o", "size=512k", "tmpfs", _folder);
        try
        {
            using (var first = Writer())
            {
                Assert.True(first.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start, 60, 0, 1, 1, 1, 1)));
            }

            // Read-only (a file system cannot turn read-only under an open file: as after a reboot with an error).
            SqliteConnection.ClearAllPools();
            await Mount("-o", "remount,ro", _folder);
            using var writer = Writer();
            Assert.False(writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start.AddMinutes(1), 60, 0, 1, 1, 1, 1)));
            Assert.Equal("readonly", writer.Status.Reason);
            await Mount("-o", "remount,rw", _folder);
            Assert.True(writer.Flush());

            // Minutes until the 512 kB are spent: every one after that waits.
            var minute = 2;
            while (writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", Start.AddMinutes(minute), 60, 0, 1, 1, 1, 1)))
            {
                minute++;
                Assert.True(minute < 100_000, "512 kB never filled");
            }

            Assert.Equal("full", writer.Status.Reason);
            Assert.True(writer.Status.Pending > 0);
            Assert.Contains("disk is full", writer.Status.Message, StringComparison.Ordinal);

            await Mount("-o", "remount,size=16m", _folder);
            Assert.True(writer.Flush());
            using var connection = Open();
            Assert.Equal(minute + 1, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes"));
            Assert.Equal("ok", HistoryFile.Scalar<string>(connection, "PRAGMA integrity_check"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await Lab.Command.TryRunAsync("umount", "-l", _folder);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private HistoryWriter Writer() => HistoryFile.Writer(DatabasePath);

    private SqliteConnection Open() => HistoryFile.Open(DatabasePath);

    private static async Task Mount(params string[] arguments) => await Lab.Command.RunAsync("mount", arguments);
}
