using System.Globalization;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The writer's thread: it sleeps until there is something to do (rows while the database takes writes, a flush or a
/// deletion asked for, its retry period over while it fails, the stop), then makes one attempt: the database opened,
/// the open outages of an earlier run closed, every waiting row committed in batches, the deletions applied. A timer
/// started with each attempt reads a write that has not ended after <see cref="CommitWait"/> as <c>slow</c>.
/// </summary>
public sealed partial class HistoryWriter
{
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
