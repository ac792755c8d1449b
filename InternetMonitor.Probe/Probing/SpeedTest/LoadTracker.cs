using System.Diagnostics;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// Whether transfers are running, and since when without a break, so that a latency sample is called loaded only
/// when the line has been busy long enough for its queues to fill.
/// </summary>
public sealed class LoadTracker
{
    private readonly Lock _lock = new();
    private int _active;
    private long _busySince;

    public void Begin()
    {
        lock (_lock)
        {
            if (_active++ == 0)
            {
                _busySince = Stopwatch.GetTimestamp();
            }
        }
    }

    public void End()
    {
        lock (_lock)
        {
            _active--;
        }
    }

    /// <summary>True while transfers run and have run without a break for at least <paramref name="warmUp"/>.</summary>
    public bool IsWarm(TimeSpan warmUp)
    {
        lock (_lock)
        {
            return _active > 0 && Stopwatch.GetElapsedTime(_busySince) >= warmUp;
        }
    }
}
