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
    private long _started = Stopwatch.GetTimestamp();
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

    public TimeSpan Total => Stopwatch.GetElapsedTime(Interlocked.Read(ref _started));

    /// <summary>Starts the clock again, now, in the first phase: where the timed work really begins (on the connecting thread).</summary>
    public void Start()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _durations.Clear();
            Interlocked.Exchange(ref _started, now);
            _phaseStarted = now;
            _current = HttpPhase.Dns;
        }
    }

    /// <summary>Ends the current phase and starts <paramref name="next"/>, now.</summary>
    public void Enter(HttpPhase next) => Enter(next, Stopwatch.GetTimestamp());

    /// <summary>
    /// Ends the current phase and starts <paramref name="next"/> at <paramref name="at"/>, a <see cref="Stopwatch"/>
    /// timestamp taken where the boundary really was (the first response byte is seen deep in the handler, and
    /// reaches the prober only after the headers are parsed).
    /// </summary>
    public void Enter(HttpPhase next, long at)
    {
        lock (_lock)
        {
            _durations[_current] = Stopwatch.GetElapsedTime(_phaseStarted, Math.Max(at, _phaseStarted));
            _phaseStarted = Math.Max(at, _phaseStarted);
            _current = next;
        }
    }

    /// <summary>
    /// Moves the start of the current phase to <paramref name="at"/>, a later <see cref="Stopwatch"/> timestamp: the
    /// request's first byte written, so that the handler's own set-up after the handshakes is in no phase.
    /// </summary>
    public void BeganAt(long at)
    {
        lock (_lock)
        {
            _phaseStarted = Math.Max(at, _phaseStarted);
        }
    }

    /// <summary>Ends the last phase, now.</summary>
    public void Finish() => Finish(Stopwatch.GetTimestamp());

    /// <summary>Ends the last phase at <paramref name="at"/> (the read that brought the body's last bytes).</summary>
    public void Finish(long at)
    {
        lock (_lock)
        {
            _durations[_current] = Stopwatch.GetElapsedTime(_phaseStarted, Math.Max(at, _phaseStarted));
        }
    }
}
