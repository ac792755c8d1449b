using System.Diagnostics;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// Cancels a transfer when no byte has moved for the stall timeout. Progress is one volatile write per read or
/// write (no timer reset on the hot path); a timer looks four times per timeout.
/// </summary>
public sealed class StallWatch : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ITimer _timer;
    private readonly long _timeoutTicks;
    private long _lastProgress = Stopwatch.GetTimestamp();

    public StallWatch(TimeSpan timeout, CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var period = timeout / 4;
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => Check(), null, period, period);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True once the watch cancelled the transfer for want of progress.</summary>
    public bool Stalled { get; private set; }

    public void Progress() => Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());

    public void Dispose()
    {
        _timer.Dispose();
        _source.Dispose();
    }

    private void Check()
    {
        if (Stopwatch.GetTimestamp() - Volatile.Read(ref _lastProgress) < _timeoutTicks || _source.IsCancellationRequested)
        {
            return;
        }

        Stalled = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The transfer ended meanwhile.
        }
    }
}
