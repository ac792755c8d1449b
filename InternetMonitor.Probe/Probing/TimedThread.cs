namespace InternetMonitor.Probe.Probing;

/// <summary>
/// Runs a timed exchange with blocking calls on a thread of its own, started before the exchange's clock: the thread
/// wakes in the system call when the reply arrives, where an awaited call would first pass through the socket engine
/// and the thread pool (a tenth of a millisecond or more that the figure would carry; docs/benchmarks.md shows both).
/// On cancellation the caller stops waiting at once; a result that comes after is handed to <c>abandon</c>.
/// </summary>
public static class TimedThread
{
    public static async Task<T> RunAsync<T>(string name, Func<T> exchange, Action<T>? abandon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var result = exchange();
                if (!done.TrySetResult(result))
                {
                    abandon?.Invoke(result); // the caller has given up
                }
            }
#pragma warning disable CA1031 // Handed to the awaiting caller, who classifies it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                done.TrySetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        await using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
        thread.Start();
        return await done.Task.ConfigureAwait(false);
    }
}
