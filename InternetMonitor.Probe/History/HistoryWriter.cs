using System.Globalization;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The one writer of the history database: a thread of its own takes the rows callers hand to its queue
/// (<see cref="HistoryQueue"/>) and commits them (<see cref="HistoryDatabase"/>: WAL, synchronous=FULL), after the
/// start's recovery of outages left open (<see cref="OpenOutageRecovery"/>). Handing rows over never waits; a caller
/// that must know when its row is on disk asks for an acknowledgement (<see cref="CommitAsync"/>). When the database
/// cannot be written (locked, read-only, full, corrupt, written by a newer probe, a write that hangs), the probe goes
/// on measuring: the failure is counted and logged once per reason (<see cref="HistoryFailure"/>), the health check
/// reads degraded, and the rows wait in memory (at most <see cref="MaxPending"/>, oldest given up first) while the
/// writer tries again every <see cref="RetryEvery"/>. The file itself is never deleted or replaced.
/// </summary>
public sealed partial class HistoryWriter : IDisposable
{
    public const int MaxPending = 100_000;

    /// <summary>How long <see cref="FlushAsync"/> waits by default, and how long a write may run before it reads <c>slow</c>.</summary>
    public static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(10);

    /// <summary>While the database fails, how often the writer tries it again by itself.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(10);

    /// <summary>Rows per transaction, so that a long backlog is written in steps that each end soon.</summary>
    private const int BatchRows = 10_000;

    private readonly HistoryOptions _options;
    private readonly HistoryMetrics _metrics;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly TimeProvider _time;
    private readonly HistoryQueue _queue;
    private readonly ManualResetEventSlim _wake = new(); // set when the writer thread has something to do
    private readonly ITimer _retry;
    private readonly ITimer _hang;

    // Guarded by _gate.
    private readonly Lock _gate = new();
    private readonly HistoryRequests _requests = new();
    private readonly HistoryHealth _health;
    private long _committed; // the number of the last row committed
    private long _attemptSince; // the TimeProvider timestamp the attempt under way began (0: none)
    private bool _retryDue;
    private bool _opened;
    private bool _stopping;
    private bool _lastAttemptFailed; // while stopping: the last attempt failed, so the rows left are left behind
    private Thread? _thread;

    // The writer thread's alone, but for the count others read.
    private readonly HistoryDatabase _database;
    private readonly OpenOutageRecovery _recovery;
    private readonly List<QueuedRow> _batch = [];
    private int _taken;

    public HistoryWriter(IOptions<HistoryOptions> options, HistoryMetrics metrics, ILogger<HistoryWriter> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        FullPath = Path.GetFullPath(_options.Path);
        _queue = new HistoryQueue(MaxPending, metrics.Dropped);
        _health = new HistoryHealth(FullPath, metrics, _queue, logger);
        _database = new HistoryDatabase(FullPath, logger);
        _recovery = new OpenOutageRecovery(logger);
        _retry = _time.CreateTimer(_ => RetryNow(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _hang = _time.CreateTimer(_ => Watch(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string FullPath { get; }

    public bool Enabled => _options.Enabled;

    public HistoryStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _health.Healthy ? _health.Status : _health.Status with { Pending = Pending };
            }
        }
    }

    /// <summary>Rows waiting: in the queue, and taken by the attempt under way.</summary>
    private int Pending => _queue.Count + Volatile.Read(ref _taken);

    /// <summary>Hands <paramref name="rows"/> to the writer and returns at once: they are committed soon, or wait while the database fails.</summary>
    public void Write(params HistoryRow[] rows) => Hand(rows, acknowledge: false);

    /// <summary>
    /// Hands <paramref name="rows"/> to the writer and returns at once; the task says when they are committed, or that they
    /// wait (at once while the database fails or a write hangs, or when an attempt fails).
    /// </summary>
    public Task<HistoryCommit> CommitAsync(params HistoryRow[] rows) => Hand(rows, acknowledge: true);

    /// <summary>
    /// Writes what waits now, even while the database fails (opening the database if it is not yet), waiting up to
    /// <paramref name="wait"/> (<see cref="CommitWait"/> by default); true when everything handed over before the call is committed.
    /// </summary>
    public async Task<bool> FlushAsync(TimeSpan? wait = null)
    {
        if (!_options.Enabled)
        {
            return true;
        }

        Task<bool> done;
        lock (_gate)
        {
            if (!Start())
            {
                return Pending == 0;
            }

            if (Pending == 0 && _health.Healthy && _opened)
            {
                return true;
            }

            done = _requests.Flush(_queue.Numbered);
            _wake.Set();
        }

        return await Within(done, wait ?? CommitWait, false).ConfigureAwait(false);
    }

    /// <summary>Deletes the latency roll-ups older than <paramref name="before"/>; returns how many (0 when it cannot).</summary>
    public async Task<int> DeleteLatencyBeforeAsync(DateTimeOffset before)
    {
        if (!_options.Enabled)
        {
            return 0;
        }

        Task<int> done;
        lock (_gate)
        {
            if (!Start())
            {
                return 0;
            }

            done = _requests.DeleteBefore(before);
            _wake.Set();
        }

        return await Within(done, CommitWait, 0).ConfigureAwait(false);
    }

    /// <summary>Stops the writer: what waits is written if the database takes it (a last attempt), then the file is closed.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
            _wake.Set();
        }

        if (thread is null)
        {
            Release();
        }
        else
        {
            thread.Join(TimeSpan.FromSeconds(30)); // a writer hung in a write releases what it holds when the write ends
        }
    }

    private Task<HistoryCommit> Hand(HistoryRow[] rows, bool acknowledge)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!_options.Enabled)
        {
            return Task.FromResult(HistoryCommit.Off);
        }

        lock (_gate)
        {
            if (!Start())
            {
                foreach (var _ in rows)
                {
                    _metrics.Dropped(); // after Dispose: the process is ending
                }

                return Task.FromResult(HistoryCommit.Dropped);
            }

            var acknowledgement = _queue.Add(rows, acknowledge);
            if (_health.Healthy)
            {
                _wake.Set();
            }
            else
            {
                _metrics.Waiting(Pending); // the writer tries again by itself
            }

            return acknowledgement;
        }
    }

    private async Task<T> Within<T>(Task<T> task, TimeSpan wait, T late)
    {
        try
        {
            return await task.WaitAsync(wait, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return late;
        }
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

    private void RetryNow()
    {
        lock (_gate)
        {
            _retryDue = true;
            if (!_stopping)
            {
                _wake.Set(); // under the gate: Dispose sets _stopping under it before it lets the event go
            }
        }
    }

    /// <summary>
    /// Called by a timer <see cref="CommitWait"/> after an attempt began: a write that has not finished by then (a disk
    /// that hangs rather than fails) makes the history read unhealthy, reason <c>slow</c>, until it ends.
    /// </summary>
    private void Watch()
    {
        lock (_gate)
        {
            if (!_health.Healthy || _attemptSince == 0 || _time.GetElapsedTime(_attemptSince) < CommitWait)
            {
                return;
            }

            var seconds = _time.GetElapsedTime(_attemptSince).TotalSeconds;
            var message = string.Create(CultureInfo.InvariantCulture, $"a write has not finished after {seconds:0} s: the disk does not answer");
            SetFailed("slow", message);
        }
    }

    private void Run()
    {
        while (true)
        {
            _wake.Reset();
            bool attempt, stop;
            lock (_gate)
            {
                var rows = _queue.Count > 0 || _batch.Count > 0;
                stop = _stopping && (!rows || _lastAttemptFailed);
                attempt = !stop && (_stopping || _requests.Any || (rows && _health.Healthy) || (_retryDue && !_health.Healthy));
                _retryDue = false;
                if (attempt)
                {
                    _attemptSince = _time.GetTimestamp();
                }
            }

            if (stop)
            {
                break;
            }

            if (!attempt)
            {
                _wake.Wait();
                continue;
            }

            _hang.Change(CommitWait, Timeout.InfiniteTimeSpan);
            var succeeded = Attempt();
            _hang.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            lock (_gate)
            {
                _attemptSince = 0;
                _lastAttemptFailed = _stopping && !succeeded;
            }
        }

        Stopped();
    }

    /// <summary>One attempt on the writer thread: the database opened if need be, every waiting row committed in batches, the retention applied if asked.</summary>
    private bool Attempt()
    {
        try
        {
            _recovery.Run(_database.Open());
            lock (_gate)
            {
                _opened = true;
            }

            while (Take() is { } last)
            {
                foreach (var (table, count) in _database.Commit(_batch))
                {
                    _metrics.Written(table, count);
                }

                _batch.Clear();
                Volatile.Write(ref _taken, 0);
                lock (_gate)
                {
                    _committed = last;
                    _health.Succeeded(Pending); // before the callers hear: a commit proves the database takes writes
                    _requests.Committed(last);
                }

                _queue.Committed(last);
            }

            ApplyRetention();
            lock (_gate)
            {
                _health.Succeeded(Pending);
                _requests.Committed(_committed);
            }

            return true;
        }
#pragma warning disable CA1031 // The writer thread must not die: an unforeseen fault is reported like a foreseen one, as "other".
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Fail(HistoryFailure.Refine(HistoryFailure.Classify(exception) ?? "other", FullPath), exception);
            return false;
        }
    }

    /// <summary>The batch to commit next (what a failed attempt left, else the next rows of the queue); its last row's number, or null when none wait.</summary>
    private long? Take()
    {
        if (_batch.Count == 0)
        {
            _queue.Take(_batch, BatchRows);
            Volatile.Write(ref _taken, _batch.Count);
        }

        return _batch.Count == 0 ? null : _batch[^1].Number;
    }

    private void ApplyRetention()
    {
        List<(DateTimeOffset Before, TaskCompletionSource<int> Done)> asked;
        lock (_gate)
        {
            asked = _requests.TakeDeletions();
        }

        try
        {
            asked.ForEach(request => request.Done.TrySetResult(_database.DeleteLatencyBefore(request.Before)));
        }
        catch
        {
            asked.ForEach(request => request.Done.TrySetResult(0)); // not applied; asked again within the hour
            throw;
        }
    }

    private void Fail(string reason, Exception exception)
    {
        _database.Close(); // opened again next time: the file may have been repaired, replaced or given space meanwhile
        var message = exception is HistoryException ? exception.Message : $"{HistoryFailure.Describe(reason)}: {exception.Message}";
        lock (_gate)
        {
            SetFailed(reason, message);
        }

        _retry.Change(RetryEvery, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The database fails for <paramref name="reason"/>: counted, logged once per reason, and every caller waiting told. Under the gate.</summary>
    private void SetFailed(string reason, string message)
    {
        _health.Failed(reason, message, Pending);
        _requests.Answer(flushed: false);
    }

    /// <summary>The writer thread's end: the file closed, rows not written logged, and every caller still waiting answered.</summary>
    private void Stopped()
    {
        _database.Close();
        lock (_gate)
        {
            _health.Stopped(Pending);
            _requests.Answer(flushed: Pending == 0);
        }

        Release();
    }

    /// <summary>The timers and the event, once nothing can use them: after the writer thread's end, or when it never ran.</summary>
    private void Release()
    {
        _retry.Dispose();
        _hang.Dispose();
        _wake.Dispose();
    }
}
