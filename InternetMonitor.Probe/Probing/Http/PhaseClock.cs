using System.Diagnostics;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>Marks where one request is and how long each finished phase took, on the monotonic clock.</summary>
public sealed class PhaseClock
{
    private readonly Dictionary<HttpPhase, TimeSpan> _durations = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _phaseStarted;

    public PhaseClock() => _phaseStarted = _started;

    /// <summary>The phase in progress (the one a failure happens in).</summary>
    public HttpPhase Current { get; private set; } = HttpPhase.Dns;

    public IReadOnlyDictionary<HttpPhase, TimeSpan> Durations => _durations;

    public TimeSpan Total => Stopwatch.GetElapsedTime(_started);

    /// <summary>Ends the current phase and starts <paramref name="next"/>.</summary>
    public void Enter(HttpPhase next)
    {
        var now = Stopwatch.GetTimestamp();
        _durations[Current] = Stopwatch.GetElapsedTime(_phaseStarted, now);
        _phaseStarted = now;
        Current = next;
    }

    /// <summary>Ends the last phase.</summary>
    public void Finish() => _durations[Current] = Stopwatch.GetElapsedTime(_phaseStarted);
}
