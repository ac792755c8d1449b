namespace InternetMonitor.Probe.Recording;

/// <summary>
/// Hands each result to the recorders that keep it (<see cref="ICommittingRecorder{TResult}"/>), then, once they have
/// committed it, to every recorder that reports it, in the order the results were published. Publishing never waits on
/// a disk: with nothing to wait for the reporters run at once, otherwise when the commit is done. A recorder that throws
/// is logged and skipped, so one broken sink never silences the others or stops the measurement.
/// </summary>
public sealed partial class ResultPublisher<TResult>
{
    private readonly ICommittingRecorder<TResult>[] _keepers;
    private readonly IRecorder<TResult>[] _reporters;
    private readonly ILogger<ResultPublisher<TResult>> _logger;
    private readonly Lock _order = new();
    private Task _reported = Task.CompletedTask; // the last result's reporting: the next one's runs after it

    public ResultPublisher(IEnumerable<IRecorder<TResult>> recorders, ILogger<ResultPublisher<TResult>> logger)
        : this(recorders, [], logger)
    {
    }

    public ResultPublisher(IEnumerable<IRecorder<TResult>> recorders, IEnumerable<ICommittingRecorder<TResult>> keepers, ILogger<ResultPublisher<TResult>> logger)
    {
        _reporters = [.. recorders];
        _keepers = [.. keepers];
        _logger = logger;
    }

    /// <summary>Publishes <paramref name="result"/> and returns at once (the measuring threads' way).</summary>
    public void Publish(TResult result) => _ = PublishAsync(result);

    /// <summary>Publishes <paramref name="result"/>; the task completes once it is kept (or known to wait) and reported. It never faults.</summary>
    public Task PublishAsync(TResult result)
    {
        var kept = Keep(result);
        lock (_order)
        {
            if (kept.IsCompleted && _reported.IsCompleted)
            {
                Report(result);
                return Task.CompletedTask;
            }

            return _reported = ReportAfterAsync(_reported, kept, result);
        }
    }

    private Task Keep(TResult result)
    {
        if (_keepers.Length == 0)
        {
            return Task.CompletedTask;
        }

        var commits = new Task[_keepers.Length];
        for (var i = 0; i < _keepers.Length; i++)
        {
            try
            {
                commits[i] = _keepers[i].Commit(result);
            }
#pragma warning disable CA1031 // A sink's fault must not stop measuring: it is logged and the next sink runs.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRecorderFailed(_logger, exception, _keepers[i].GetType().Name, typeof(TResult).Name);
                commits[i] = Task.CompletedTask;
            }
        }

        return commits.Length == 1 ? commits[0] : Task.WhenAll(commits);
    }

    private async Task ReportAfterAsync(Task previous, Task kept, TResult result)
    {
        await previous.ConfigureAwait(false); // never faults
        try
        {
            await kept.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As above: a keeper that failed is logged; the result is still reported.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRecorderFailed(_logger, exception, "history", typeof(TResult).Name);
        }

        Report(result);
    }

    private void Report(TResult result)
    {
        foreach (var recorder in _reporters)
        {
            try
            {
                recorder.Record(result);
            }
#pragma warning disable CA1031 // A sink's fault must not stop measuring: it is logged and the next sink runs.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRecorderFailed(_logger, exception, recorder.GetType().Name, typeof(TResult).Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recorder {Recorder} failed to record a {Result}")]
    private static partial void LogRecorderFailed(ILogger logger, Exception exception, string recorder, string result);
}
