using InternetMonitor.Probe.Storage;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The history database as its one writer uses it: opened (folder made, links refused, WAL with synchronous=FULL,
/// schema migrated), rows committed in one transaction, old roll-ups deleted. Used from the writer's thread alone.
/// </summary>
public sealed partial class HistoryDatabase(string path, ILogger logger) : IDisposable
{
    /// <summary>How long one attempt waits for a lock another program holds (SQLite's busy timeout, and the driver's own retries).</summary>
    private const int BusySeconds = 1;

    private SqliteConnection? _connection;

    public string FullPath { get; } = path;

    /// <summary>The open connection, opened first if need be; throws what SQLite or the file system throws.</summary>
    public SqliteConnection Open()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var directory = Path.GetDirectoryName(FullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            DataFiles.CreateFolder(directory);
        }

        // Microsoft.Data.Sqlite builds sqlite3_open_v2's flags itself (from Mode and Cache), so SQLITE_OPEN_NOFOLLOW cannot
        // be passed: a link in place of the database or a file beside it is refused here, before every open, instead.
        if (DataFiles.LinkedDatabaseFile(FullPath) is { } refusal)
        {
            throw new HistoryException("symlink", refusal);
        }

        DataFiles.CreateIfMissing(FullPath); // owner-only, and so its -wal and -shm
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = FullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusySeconds, // the driver retries a locked database until then (30 s by default)
        }.ToString());
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                // WAL: readers (the API) never block the writer; FULL: a commit is on disk when it returns.
                pragmas.CommandText = "PRAGMA busy_timeout = 1000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"; // BusySeconds
                pragmas.ExecuteNonQuery();
            }

            var from = HistorySchema.Migrate(connection);
            if (from != HistorySchema.Version)
            {
                LogMigrated(logger, FullPath, from, HistorySchema.Version);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    /// <summary>Commits <paramref name="batch"/> in one transaction; returns how many rows went to each table.</summary>
    public Dictionary<string, int> Commit(IReadOnlyList<QueuedRow> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var connection = Open();
        using var transaction = connection.BeginTransaction();
        var written = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var queued in batch)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            queued.Row.Write(command);
            written[queued.Row.Table] = written.GetValueOrDefault(queued.Row.Table) + 1;
        }

        transaction.Commit();
        return written;
    }

    /// <summary>Deletes the latency roll-ups older than <paramref name="before"/>; returns how many.</summary>
    public int DeleteLatencyBefore(DateTimeOffset before)
    {
        using var command = Open().CreateCommand();
        command.CommandText = "DELETE FROM latency_minutes WHERE minute < $before; DELETE FROM dns_minutes WHERE minute < $before;";
        command.Parameters.AddWithValue("$before", HistoryRow.Milliseconds(before));
        return command.ExecuteNonQuery();
    }

    /// <summary>Closes the connection: the next use opens the file again (it may have been repaired, replaced or given space meanwhile).</summary>
    public void Close()
    {
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose() => Close();

    [LoggerMessage(Level = LogLevel.Information, Message = "History database {Path} migrated from schema {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to);
}
