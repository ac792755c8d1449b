using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The one writer of the history database. Each row is committed (WAL, synchronous=FULL) before <see cref="Write"/>
/// returns, so a result is on disk before it is reported. When the database cannot be written (locked, read-only,
/// full, corrupt, written by a newer probe), the probe goes on measuring: the failure is counted and logged once per
/// reason, the health check reads degraded, and the rows wait in memory (at most <see cref="MaxPending"/>, oldest
/// given up first) to be written with the next write or retry. The file itself is never deleted or replaced.
/// </summary>
public sealed partial class HistoryWriter : IDisposable
{
    public const int MaxPending = 100_000;

    private readonly HistoryOptions _options;
    private readonly HistoryMetrics _metrics;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly Queue<HistoryRow> _pending = new();
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private HistoryStatus _status = HistoryStatus.Ok;
    private bool _leftoversClosed;

    public HistoryWriter(IOptions<HistoryOptions> options, HistoryMetrics metrics, ILogger<HistoryWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        FullPath = System.IO.Path.GetFullPath(_options.Path);
    }

    public string FullPath { get; }

    public bool Enabled => _options.Enabled;

    public HistoryStatus Status => Volatile.Read(ref _status);

    /// <summary>Commits <paramref name="rows"/> (with any still waiting); true when they are on disk, false when they wait.</summary>
    public bool Write(params HistoryRow[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!_options.Enabled)
        {
            return true;
        }

        lock (_lock)
        {
            foreach (var row in rows)
            {
                if (_pending.Count >= MaxPending)
                {
                    _pending.Dequeue();
                    _metrics.Dropped();
                }

                _pending.Enqueue(row);
            }

            return Flush();
        }
    }

    /// <summary>Writes what waits, if anything; true when nothing is left waiting.</summary>
    public bool Retry()
    {
        if (!_options.Enabled)
        {
            return true;
        }

        lock (_lock)
        {
            return _pending.Count == 0 && _connection is not null || Flush();
        }
    }

    /// <summary>Deletes the latency roll-ups older than <paramref name="before"/>; returns how many (0 when it cannot).</summary>
    public int DeleteLatencyBefore(DateTimeOffset before) => Execute(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM latency_minutes WHERE minute < $before;";
        command.Parameters.AddWithValue("$before", HistoryRow.Milliseconds(before));
        return command.ExecuteNonQuery();
    });

    public void Dispose()
    {
        lock (_lock)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    private int Execute(Func<SqliteConnection, int> work)
    {
        if (!_options.Enabled)
        {
            return 0;
        }

        lock (_lock)
        {
            try
            {
                return work(Open());
            }
            catch (Exception exception) when (Classify(exception) is { } reason)
            {
                Fail(Refine(reason), exception);
                return 0;
            }
        }
    }

    private bool Flush()
    {
        if (_pending.Count == 0 && _connection is not null)
        {
            return true;
        }

        try
        {
            var connection = Open();
            using var transaction = connection.BeginTransaction();
            var written = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var row in _pending)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                row.Write(command);
                written[row.Table] = written.GetValueOrDefault(row.Table) + 1;
            }

            transaction.Commit();
            _pending.Clear();
            foreach (var (table, count) in written)
            {
                _metrics.Written(table, count);
            }

            if (!Status.Healthy)
            {
                LogRecovered(_logger, FullPath);
            }

            Volatile.Write(ref _status, HistoryStatus.Ok);
            _metrics.Succeeded();
            return true;
        }
        catch (Exception exception) when (Classify(exception) is { } reason)
        {
            Fail(Refine(reason), exception);
            return false;
        }
    }

    private void Fail(string reason, Exception exception)
    {
        // Opened again next time: the file may have been repaired, replaced or given space meanwhile.
        _connection?.Dispose();
        _connection = null;
        _metrics.Failed(reason, _pending.Count);
        var message = exception is HistoryException ? exception.Message : $"{Describe(reason)}: {exception.Message}";
        if (Status.Reason != reason)
        {
            LogFailed(_logger, FullPath, reason, message, _pending.Count);
        }

        Volatile.Write(ref _status, new HistoryStatus(false, reason, message, _pending.Count));
    }

    private SqliteConnection Open()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var directory = System.IO.Path.GetDirectoryName(FullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FullPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                // WAL: readers (the API) never block the writer; FULL: a commit is on disk when it returns.
                pragmas.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
                pragmas.ExecuteNonQuery();
            }

            var from = HistorySchema.Migrate(connection);
            if (from != HistorySchema.Version)
            {
                LogMigrated(_logger, FullPath, from, HistorySchema.Version);
            }

            if (!_leftoversClosed)
            {
                // Outages an earlier run saw begin but not end (it stopped, or the power went): they end where that run's
                // measuring ended, its last minute of echoes, so that none stays "going on" for ever or is counted twice.
                using var close = connection.CreateCommand();
                close.CommandText = """
                    UPDATE outages SET ended_at = max(started_at, COALESCE((SELECT max(minute) + 60000 FROM latency_minutes), started_at))
                    WHERE ended_at IS NULL;
                    """;
                var closed = close.ExecuteNonQuery();
                _leftoversClosed = true;
                if (closed > 0)
                {
                    LogLeftoversClosed(_logger, closed);
                }
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

    /// <summary>The metric's reason for an exception the history survives; null for one it does not expect (a bug: it propagates).</summary>
    public static string? Classify(Exception exception) => exception switch
    {
        HistoryException history => history.Reason,
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
        {
            5 or 6 => "busy",
            8 => "readonly",
            13 => "full",
            11 or 26 => "corrupt",
            10 or 14 => "io",
            _ => "other",
        },
        IOException or UnauthorizedAccessException => "io",
        _ => null,
    };

    /// <summary>
    /// SQLite says only "unable to open" or "disk I/O error" for a folder it cannot write: a file written beside the
    /// database tells a read-only file system or folder, and a full disk, from another fault.
    /// </summary>
    private string Refine(string reason)
    {
        if (reason is not ("io" or "other"))
        {
            return reason;
        }

        var probe = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(FullPath) ?? ".", $".{System.IO.Path.GetFileName(FullPath)}.probe");
        try
        {
            File.WriteAllBytes(probe, new byte[4096]);
            File.Delete(probe);
            return reason;
        }
        catch (UnauthorizedAccessException)
        {
            return "readonly";
        }
        catch (IOException exception)
        {
            return exception.HResult switch
            {
                30 => "readonly", // EROFS
                28 => "full", // ENOSPC
                _ => reason,
            };
        }
    }

    private static string Describe(string reason) => reason switch
    {
        "busy" => "the database is locked by another program",
        "readonly" => "the database or its folder is read-only",
        "full" => "the disk is full",
        "corrupt" => "the file is not a usable SQLite database (left as it is: move it aside to start a new history)",
        "io" => "the file cannot be read or written",
        _ => "the database failed",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "History database {Path} cannot be written ({Reason}): {Message}; measuring goes on, {Pending} rows wait to be written")]
    private static partial void LogFailed(ILogger logger, string path, string reason, string message, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "History database {Path} is written again")]
    private static partial void LogRecovered(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "History: {Count} outage(s) left open by an earlier run closed at its last measured minute")]
    private static partial void LogLeftoversClosed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "History database {Path} migrated from schema {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to);
}

/// <summary>Whether the history database accepts writes, and if not, why (its reason label and a sentence) and how many rows wait.</summary>
public sealed record HistoryStatus(bool Healthy, string? Reason, string? Message, int Pending)
{
    public static HistoryStatus Ok { get; } = new(true, null, null, 0);
}
