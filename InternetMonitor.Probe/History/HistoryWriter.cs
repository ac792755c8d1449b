using System.Diagnostics;
using System.Globalization;
using InternetMonitor.Probe.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The one writer of the history database, a thread of its own that owns the connection. A caller hands it rows and
/// waits (a bounded time) for their commit (WAL, synchronous=FULL), so that a result is on disk before it is reported;
/// it does not wait at all on a database known to fail or on a write that hangs. When the database cannot be written
/// (locked, read-only, full, corrupt, written by a newer probe), the probe goes on measuring: the failure is counted
/// and logged once per reason, the health check reads degraded, and the rows wait in memory (at most
/// <see cref="MaxPending"/>, oldest given up first) while the writer tries again every <see cref="RetryEvery"/>. The
/// file itself is never deleted or replaced.
/// </summary>
public sealed partial class HistoryWriter : IDisposable
{
    public const int MaxPending = 100_000;

    /// <summary>How long <see cref="Write(HistoryRow[])"/> and <see cref="Flush()"/> wait for a commit by default.</summary>
    public static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(10);

    /// <summary>While the database fails, how often the writer tries it again by itself.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt waits for a lock another program holds (SQLite's busy timeout, and the driver's own retries).</summary>
    private const int BusySeconds = 1;

    /// <summary>Rows per transaction, so that a long backlog is written in steps that each end soon.</summary>
    private const int BatchRows = 10_000;

    private readonly HistoryOptions _options;
    private readonly HistoryMetrics _metrics;
    private readonly ILogger<HistoryWriter> _logger;

    // Guarded by _gate, which waiters and the writer thread also wait on.
    private readonly object _gate = new();
    private readonly Queue<Queued> _pending = new();
    private HistoryStatus _status = HistoryStatus.Ok;
    private long _queued; // the number of the last row queued
    private long _committed; // the number of the last row committed
    private long _inFlight; // the number of the last row the attempt under way writes (0: none)
    private long _started; // attempts started
    private long _lastSucceeded; // the last attempt that wrote everything, and the last that failed
    private long _lastFailed;
    private long _retryAt; // while failing: the Stopwatch time of the next attempt of its own
    private long _attemptSince; // the Stopwatch time the attempt under way began (0: none)
    private bool _wanted; // an attempt is asked for now
    private bool _opened;
    private bool _stopping;
    private DateTimeOffset _retentionBefore;
    private long _retentionAsked;
    private long _retentionDone;
    private int _retentionDeleted;
    private Thread? _thread;

    // The writer thread's alone.
    private SqliteConnection? _connection;
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

    /// <summary>How long a write may run before the history reads <c>slow</c> (<see cref="CommitWait"/>; shorter in tests).</summary>
    internal TimeSpan HangAfter { get; init; } = CommitWait;

    public bool Enabled => _options.Enabled;

    public HistoryStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status.Healthy ? _status : _status with { Pending = _pending.Count };
            }
        }
    }

    /// <summary>Hands <paramref name="rows"/> to the writer and waits up to <see cref="CommitWait"/>; true when they are committed.</summary>
    public bool Write(params HistoryRow[] rows) => Write(CommitWait, rows);

    /// <summary>
    /// Hands <paramref name="rows"/> to the writer and waits up to <paramref name="wait"/> for their commit: true when they
    /// are on disk; false at once while the database fails or a write hangs, or when the wait ends first (the rows wait,
    /// they are not lost).
    /// </summary>
    public bool Write(TimeSpan wait, params HistoryRow[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!_options.Enabled)
        {
            return true;
        }

        lock (_gate)
        {
            if (!Start())
            {
                foreach (var _ in rows)
                {
                    _metrics.Dropped(); // after Dispose: the process is ending
                }

                return false;
            }

            foreach (var row in rows)
            {
                _pending.Enqueue(new Queued(++_queued, row));
            }

            // Oldest first, but never a row the attempt under way is writing: it may be committed already.
            while (_pending.Count > MaxPending && _pending.Peek().Number > _inFlight)
            {
                _pending.Dequeue();
                _metrics.Dropped();
            }

            if (!_status.Healthy || Hung())
            {
                _metrics.Waiting(_pending.Count);
                return false; // the writer tries again by itself
            }

            return AwaitAttempt(_queued, wait);
        }
    }

    /// <summary>Writes what waits (opening the database if it is not yet), waiting up to <see cref="CommitWait"/>; true when nothing is left waiting.</summary>
    public bool Flush() => Flush(CommitWait);

    /// <summary>Writes what waits now, even while the database fails, waiting up to <paramref name="wait"/>; true when nothing is left waiting.</summary>
    public bool Flush(TimeSpan wait)
    {
        if (!_options.Enabled)
        {
            return true;
        }

        lock (_gate)
        {
            if (!Start())
            {
                return _pending.Count == 0;
            }

            return _pending.Count == 0 && _status.Healthy && _opened || AwaitAttempt(_queued, wait);
        }
    }

    /// <summary>Deletes the latency roll-ups older than <paramref name="before"/>; returns how many (0 when it cannot).</summary>
    public int DeleteLatencyBefore(DateTimeOffset before)
    {
        if (!_options.Enabled)
        {
            return 0;
        }

        lock (_gate)
        {
            if (!Start())
            {
                return 0;
            }

            _retentionBefore = before;
            var ticket = ++_retentionAsked;
            Ask();
            var deadline = Deadline(CommitWait);
            while (_retentionDone < ticket && !_stopping && Remaining(deadline) is { } remaining)
            {
                Monitor.Wait(_gate, remaining);
            }

            return _retentionDone >= ticket ? _retentionDeleted : 0;
        }
    }

    /// <summary>
    /// Called now and then (every 30 s by the roll-ups): a write that has not finished after <see cref="HangAfter"/> (a
    /// disk that hangs rather than fails) makes the history read unhealthy, reason <c>slow</c>, until it ends.
    /// </summary>
    public void Watch()
    {
        lock (_gate)
        {
            if (_status.Healthy && Hung())
            {
                var seconds = Stopwatch.GetElapsedTime(_attemptSince).TotalSeconds;
                var message = string.Create(CultureInfo.InvariantCulture, $"a write has not finished after {seconds:0} s: the disk does not answer");
                _metrics.Failed("slow", _pending.Count);
                LogFailed(_logger, FullPath, "slow", message, _pending.Count);
                _status = new HistoryStatus(false, "slow", message, _pending.Count);
            }
        }
    }

    /// <summary>Stops the writer: what waits is written if the database takes it (a last attempt), then the file is closed.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
            Monitor.PulseAll(_gate);
        }

        thread?.Join(TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts the writer thread on first use; false once the writer has stopped. Under the gate.</summary>
    private bool Start()
    {
        if (_stopping)
        {
            return false;
        }

        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "history-writer" };
            _thread.Start();
        }

        return true;
    }

    private void Ask()
    {
        _wanted = true;
        Monitor.PulseAll(_gate);
    }

    /// <summary>An attempt has run longer than <see cref="HangAfter"/>. Under the gate.</summary>
    private bool Hung() => _attemptSince != 0 && Stopwatch.GetElapsedTime(_attemptSince) > HangAfter;

    /// <summary>
    /// Asks for an attempt and waits for it (under the gate): true once row <paramref name="upTo"/> is committed (with no
    /// row yet: once an attempt opened the database), false when an attempt that began after the call fails or the wait ends.
    /// </summary>
    private bool AwaitAttempt(long upTo, TimeSpan wait)
    {
        var before = _started;
        Ask();
        var deadline = Deadline(wait);
        while (true)
        {
            if (_committed >= upTo && (upTo > 0 || _lastSucceeded > before))
            {
                return true;
            }

            if (_lastFailed > before || _stopping || Remaining(deadline) is not { } remaining)
            {
                return false;
            }

            Monitor.Wait(_gate, remaining);
        }
    }

    /// <summary>A Stopwatch time <paramref name="wait"/> from now (an infinite or over-long wait: an hour).</summary>
    private static long Deadline(TimeSpan wait)
    {
        var seconds = wait == Timeout.InfiniteTimeSpan ? 3600 : Math.Clamp(wait.TotalSeconds, 0, 3600);
        return Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    }

    private static TimeSpan? Remaining(long deadline)
    {
        var left = deadline - Stopwatch.GetTimestamp();
        return left > 0 ? TimeSpan.FromSeconds((double)left / Stopwatch.Frequency) : null;
    }

    private void Run()
    {
        while (true)
        {
            long attempt;
            lock (_gate)
            {
                while (!_stopping && !_wanted && _retentionDone == _retentionAsked && !(_status.Healthy && _pending.Count > 0) && !RetryDue())
                {
                    if (_status.Healthy)
                    {
                        Monitor.Wait(_gate);
                    }
                    else
                    {
                        Monitor.Wait(_gate, Remaining(_retryAt) ?? TimeSpan.Zero); // failing: tried again in RetryEvery, rows or not
                    }
                }

                if (_stopping && _pending.Count == 0)
                {
                    break;
                }

                _wanted = false;
                attempt = ++_started;
                _attemptSince = Stopwatch.GetTimestamp();
            }

            var succeeded = Attempt();
            lock (_gate)
            {
                _attemptSince = 0;
                if (succeeded)
                {
                    _lastSucceeded = attempt;
                }
                else
                {
                    _lastFailed = attempt;
                    _retryAt = Deadline(RetryEvery);
                }

                Monitor.PulseAll(_gate);
                if (_stopping && (!succeeded || _pending.Count == 0))
                {
                    if (_pending.Count > 0)
                    {
                        LogLeftBehind(_logger, FullPath, _pending.Count, _status.Reason ?? "stopping");
                    }

                    break;
                }
            }
        }

        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>Failing, and the time to try again has come. Under the gate.</summary>
    private bool RetryDue() => !_status.Healthy && Stopwatch.GetTimestamp() >= _retryAt;

    /// <summary>One attempt on the writer thread: the database opened if need be, every waiting row committed in batches, the retention applied if asked.</summary>
    private bool Attempt()
    {
        try
        {
            var connection = Open();
            while (true)
            {
                Queued[] batch;
                lock (_gate)
                {
                    _opened = true;
                    batch = [.. _pending.Take(BatchRows)];
                    if (batch.Length == 0)
                    {
                        break;
                    }

                    _inFlight = batch[^1].Number;
                }

                Commit(connection, batch);
                lock (_gate)
                {
                    while (_pending.Count > 0 && _pending.Peek().Number <= batch[^1].Number)
                    {
                        _pending.Dequeue();
                    }

                    _committed = batch[^1].Number;
                    _inFlight = 0;
                    Healthy(); // before the waiters wake: a commit proves the database takes writes
                    Monitor.PulseAll(_gate);
                }
            }

            ApplyRetention(connection);
            lock (_gate)
            {
                Healthy();
            }

            return true;
        }
#pragma warning disable CA1031 // The writer thread must not die: an unforeseen fault is reported like a foreseen one, as "other".
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Fail(Refine(Classify(exception) ?? "other"), exception);
            return false;
        }
    }

    /// <summary>The database takes writes (again). Under the gate.</summary>
    private void Healthy()
    {
        if (!_status.Healthy)
        {
            LogRecovered(_logger, FullPath);
        }

        _status = HistoryStatus.Ok;
        _metrics.Succeeded(_pending.Count);
    }

    private void Commit(SqliteConnection connection, Queued[] batch)
    {
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
        foreach (var (table, count) in written)
        {
            _metrics.Written(table, count);
        }
    }

    private void ApplyRetention(SqliteConnection connection)
    {
        long asked;
        DateTimeOffset before;
        lock (_gate)
        {
            asked = _retentionAsked;
            before = _retentionBefore;
        }

        if (asked == _retentionDone)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM latency_minutes WHERE minute < $before;";
        command.Parameters.AddWithValue("$before", HistoryRow.Milliseconds(before));
        var deleted = command.ExecuteNonQuery();
        lock (_gate)
        {
            _retentionDeleted = deleted;
            _retentionDone = asked;
            Monitor.PulseAll(_gate);
        }
    }

    private void Fail(string reason, Exception exception)
    {
        // Opened again next time: the file may have been repaired, replaced or given space meanwhile.
        _connection?.Dispose();
        _connection = null;
        var message = exception is HistoryException ? exception.Message : $"{Describe(reason)}: {exception.Message}";
        lock (_gate)
        {
            _inFlight = 0;
            _retentionDone = _retentionAsked; // not applied; asked again within the hour
            _retentionDeleted = 0;
            _metrics.Failed(reason, _pending.Count);
            if (_status.Reason != reason)
            {
                LogFailed(_logger, FullPath, reason, message, _pending.Count);
            }

            _status = new HistoryStatus(false, reason, message, _pending.Count);
        }
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
            using (var file = DataFiles.CreateNew(probe)) // a leftover, or a link planted there, deleted first: never written through
            {
                file.Write(new byte[4096]);
            }

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

    /// <summary>What a failure's reason means, in a sentence that names no file (for answers anyone may read).</summary>
    public static string Describe(string reason) => reason switch
    {
        "busy" => "the database is locked by another program",
        "readonly" => "the database or its folder is read-only",
        "full" => "the disk is full",
        "corrupt" => "the file is not a usable SQLite database (left as it is: move it aside to start a new history)",
        "io" => "the file cannot be read or written",
        "slow" => "a write does not finish",
        "symlink" => "a file of the database is a symbolic link",
        _ => "the database failed",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "History database {Path} cannot be written ({Reason}): {Message}; measuring goes on, {Pending} rows wait to be written")]
    private static partial void LogFailed(ILogger logger, string path, string reason, string message, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "History database {Path} is written again")]
    private static partial void LogRecovered(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "History: {Count} outage(s) left open by an earlier run closed at its last measured minute")]
    private static partial void LogLeftoversClosed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "History database {Path}: {Count} rows could not be written before stopping ({Reason})")]
    private static partial void LogLeftBehind(ILogger logger, string path, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "History database {Path} migrated from schema {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to);
}

/// <summary>A row handed to the writer, numbered in the order it came.</summary>
internal readonly record struct Queued(long Number, HistoryRow Row);

/// <summary>Whether the history database accepts writes, and if not, why (its reason label and a sentence) and how many rows wait.</summary>
public sealed record HistoryStatus(bool Healthy, string? Reason, string? Message, int Pending)
{
    public static HistoryStatus Ok { get; } = new(true, null, null, 0);
}
