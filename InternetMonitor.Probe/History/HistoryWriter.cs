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
}
