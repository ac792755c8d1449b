using System.Threading.Channels;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The rows handed to the history writer and not yet committed: a bounded <see cref="Channel{T}"/> that gives up the
/// oldest row past its capacity, each row numbered in the order it came, and an acknowledgement for the callers that
/// ask for one (a task that says when their row is committed, or that it waits because the database fails).
/// </summary>
/// <remarks>Callers on measuring threads hand rows over and return: adding never waits.</remarks>
public sealed class HistoryQueue
{
    private readonly Channel<QueuedRow> _rows;
    private readonly Action _dropped;

    // Guarded by _lock: the numbering, the acknowledgements waiting (in number order) and why rows wait, if they do.
    private readonly Lock _lock = new();
    private readonly Queue<QueuedRow> _acknowledgements = new();
    private long _numbered;
    private string? _holding;

    public HistoryQueue(int capacity, Action dropped)
    {
        _dropped = dropped;
        _rows = Channel.CreateBounded<QueuedRow>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            Dropped);
    }

    /// <summary>Rows in the queue (not those the writer has taken for an attempt).</summary>
    public int Count => _rows.Reader.Count;

    /// <summary>The number of the last row added.</summary>
    public long Numbered
    {
        get
        {
            lock (_lock)
            {
                return _numbered;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="rows"/>; with <paramref name="acknowledge"/>, returns a task that completes when the last of
    /// them is committed, or at once (<see cref="HistoryCommit.Waiting"/>) while the rows are held back by a failure.
    /// </summary>
    public Task<HistoryCommit> Add(IReadOnlyList<HistoryRow> rows, bool acknowledge)
    {
        ArgumentNullException.ThrowIfNull(rows);
        lock (_lock)
        {
            TaskCompletionSource<HistoryCommit>? acknowledgement = null;
            for (var i = 0; i < rows.Count; i++)
            {
                var last = i == rows.Count - 1;
                if (last && acknowledge && _holding is null)
                {
                    acknowledgement = new TaskCompletionSource<HistoryCommit>(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                var queued = new QueuedRow(++_numbered, rows[i], last ? acknowledgement : null);
                if (queued.Acknowledgement is not null)
                {
                    _acknowledgements.Enqueue(queued);
                }

                _rows.Writer.TryWrite(queued); // bounded, oldest dropped: never refused
            }

            return acknowledgement?.Task ?? Task.FromResult(acknowledge ? HistoryCommit.Waiting : HistoryCommit.Committed);
        }
    }

    /// <summary>Takes up to <paramref name="count"/> rows, oldest first, for the writer to commit.</summary>
    public void Take(List<QueuedRow> batch, int count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        while (batch.Count < count && _rows.Reader.TryRead(out var row))
        {
            batch.Add(row);
        }
    }

    /// <summary>Rows up to <paramref name="number"/> are committed: their callers hear so.</summary>
    public void Committed(long number)
    {
        lock (_lock)
        {
            while (_acknowledgements.TryPeek(out var queued) && queued.Number <= number)
            {
                _acknowledgements.Dequeue().Acknowledgement!.TrySetResult(HistoryCommit.Committed);
            }
        }
    }

    /// <summary>
    /// The database fails (<paramref name="reason"/>): every caller waiting hears that its row waits, and until
    /// <see cref="Release"/> a caller that adds a row hears so at once.
    /// </summary>
    public void Hold(string reason)
    {
        lock (_lock)
        {
            _holding = reason;
            while (_acknowledgements.TryDequeue(out var queued))
            {
                queued.Acknowledgement!.TrySetResult(HistoryCommit.Waiting);
            }
        }
    }

    /// <summary>The database takes writes again: callers wait for their commits again.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _holding = null;
        }
    }

    private void Dropped(QueuedRow row)
    {
        row.Acknowledgement?.TrySetResult(HistoryCommit.Dropped);
        _dropped();
    }
}

/// <summary>A row handed to the writer, numbered in the order it came, with its caller's acknowledgement if it asked for one.</summary>
public sealed record QueuedRow(long Number, HistoryRow Row, TaskCompletionSource<HistoryCommit>? Acknowledgement);

/// <summary>What became of rows handed to the history writer, as their caller hears it.</summary>
public enum HistoryCommit
{
    /// <summary>On disk.</summary>
    Committed,

    /// <summary>Not yet: the database fails or a write hangs; the rows wait in memory and are written when it takes them.</summary>
    Waiting,

    /// <summary>Given up: too many rows waited (oldest first), or the writer had stopped.</summary>
    Dropped,

    /// <summary>The history is off (Monitor:History:Enabled=false): nothing is written.</summary>
    Off,
}
