namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Running figures for one target. Jitter is RFC 3550's interarrival estimator applied to consecutive
/// round-trip times: J += (|D| - J) / 16, where D is the difference between two consecutive replies' RTTs,
/// started at the first |D| rather than at zero. Its mean is E|D|: for RTTs spread uniformly over a
/// width w, w / 3. Loss is the share of echoes sent in the last window that got no reply. The window is kept by
/// send times, which are wall-clock times: an echo sent more than a window before the newest one can only mean the
/// clock was set back, and the window starts again rather than holding the echoes of the hour the clock repeats.
/// </summary>
public sealed class PingStatistics(TimeSpan window)
{
    private const double JitterGain = 1.0 / 16;

    private readonly Queue<(DateTimeOffset SentAt, bool Lost)> _recent = new();
    private TimeSpan? _previousRtt;
    private int _lostInWindow;
    private DateTimeOffset? _newest;

    /// <summary>Seconds; null until two replies have been seen.</summary>
    public double? Jitter { get; private set; }

    /// <summary>Lost / sent over the window; null before the first echo.</summary>
    public double? LossRatio => _recent.Count == 0 ? null : (double)_lostInWindow / _recent.Count;

    public void Add(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.RoundTripTime is { } rtt)
        {
            if (_previousRtt is { } previous)
            {
                var difference = Math.Abs((rtt - previous).TotalSeconds);
                Jitter = Jitter is { } jitter ? jitter + ((difference - jitter) * JitterGain) : difference;
            }

            _previousRtt = rtt;
        }

        if (_newest is not { } newest || result.SentAt < newest - window)
        {
            _recent.Clear();
            _lostInWindow = 0;
            newest = result.SentAt;
        }

        newest = result.SentAt > newest ? result.SentAt : newest;
        _newest = newest;
        _recent.Enqueue((result.SentAt, !result.Succeeded));
        _lostInWindow += result.Succeeded ? 0 : 1;

        // Results arrive in completion order (a timeout lands after later replies): trim by the newest send.
        var horizon = newest - window;
        while (_recent.TryPeek(out var oldest) && oldest.SentAt < horizon)
        {
            _recent.Dequeue();
            _lostInWindow -= oldest.Lost ? 1 : 0;
        }
    }
}
