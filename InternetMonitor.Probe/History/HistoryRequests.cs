namespace InternetMonitor.Probe.History;

/// <summary>
/// What callers asked the history writer to do besides writing rows, each waiting for its answer: a flush (answered
/// true once every row handed over before it is committed) and the deletion of old roll-ups (answered with how many).
/// Not thread-safe: the writer calls it under its gate.
/// </summary>
internal sealed class HistoryRequests
{
    private readonly List<(long UpTo, TaskCompletionSource<bool> Done)> _flushes = [];
    private readonly List<(DateTimeOffset Before, TaskCompletionSource<int> Done)> _retentions = [];

    public bool Any => _flushes.Count > 0 || _retentions.Count > 0;

    /// <summary>A flush of every row up to number <paramref name="upTo"/>.</summary>
    public Task<bool> Flush(long upTo)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushes.Add((upTo, done));
        return done.Task;
    }

    /// <summary>The deletion of the roll-ups older than <paramref name="before"/>.</summary>
    public Task<int> DeleteBefore(DateTimeOffset before)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _retentions.Add((before, done));
        return done.Task;
    }

    /// <summary>Hands the deletions asked for to the writer, which answers each.</summary>
    public List<(DateTimeOffset Before, TaskCompletionSource<int> Done)> TakeDeletions()
    {
        List<(DateTimeOffset, TaskCompletionSource<int>)> taken = [.. _retentions];
        _retentions.Clear();
        return taken;
    }

    /// <summary>Rows up to <paramref name="committed"/> are on disk: the flushes they satisfy are answered true.</summary>
    public void Committed(long committed)
    {
        foreach (var flush in _flushes.Where(flush => flush.UpTo <= committed))
        {
            flush.Done.TrySetResult(true);
        }

        _flushes.RemoveAll(flush => flush.UpTo <= committed);
    }

    /// <summary>An attempt failed, or the writer stopped: every request waiting is answered now (<paramref name="flushed"/>, and no row deleted).</summary>
    public void Answer(bool flushed)
    {
        _flushes.ForEach(flush => flush.Done.TrySetResult(flushed));
        _retentions.ForEach(retention => retention.Done.TrySetResult(0)); // not applied; asked again within the hour
        _flushes.Clear();
        _retentions.Clear();
    }
}
