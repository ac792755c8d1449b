using System.Diagnostics;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>
/// Marks where one request is and how long each finished phase took, on the monotonic clock. Thread-safe: a
/// timeout reads it while the handler's connect callback may still be moving it on.
/// </summary>
public sealed class PhaseClock
{
    private readonly Lock _lock = new();
    private readonly Dictionary<HttpPhase, TimeSpan> _durations = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _phaseStarted;

    public PhaseClock() => _phaseStarted = _started;

    private HttpPhase _current = HttpPhase.Dns;

    /// <summary>The phase in progress (the one a failure happens in).</summary>
    public HttpPhase Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>A copy of the finished phases' durations.</summary>
    public IReadOnlyDictionary<HttpPhase, TimeSpan> Durations
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<HttpPhase, TimeSpan>(_durations);
            }
        }
    }

    public TimeSpan Total => Stopwatch.GetElapsedTime(_started);

    /// <summary>Ends the current phase and starts <paramref name="next"/>.</summary>
    public void Enter(HttpPhase next)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _durations[_current] = Stopwatch.GetElapsedTime(_phaseStarted, now);
            _phaseStarted = now;
            _current = next;
        }
    }

    /// <summary>Ends the last phase.</summary>
    public void Finish()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _durations[_current] = Stopwatch.GetElapsedTime(_phaseStarted, now);
        }
    }
}
