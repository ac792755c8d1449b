namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Running figures for one target. Jitter is RFC 3550's interarrival estimator applied to consecutive
/// round-trip times: J += (|D| - J) / 16, where D is the difference between two consecutive replies' RTTs,
/// started at the first |D| rather than at zero. Its mean is E|D|: for RTTs spread uniformly over a
/// width w, w / 3. Loss is the share of echoes sent in the last window that got no reply. The window is kept by
/// send times, which are wall-clock times: an echo sent more than a window before the newest one can only mean the
/// clock was set back, and the window starts again rather than holding the echoes of the hour the clock repeats.
/// The window keeps each echo's RTT too (16 bytes an echo), for the latency summary's exact quantiles; the
/// replies' count and sum are kept since the start, as a summary's are. Callers lock the instance.
/// </summary>
public sealed class PingStatistics(TimeSpan window)
{
    private const double JitterGain = 1.0 / 16;

    private readonly Queue<Echo> _recent = new();
    private readonly long _window = window.Ticks;
    private TimeSpan? _previousRtt;
    private int _lostInWindow;
    private long? _newest;

    /// <summary>Seconds; null until two replies have been seen.</summary>
    public double? Jitter { get; private set; }

    /// <summary>Lost / sent over the window; null before the first echo.</summary>
    public double? LossRatio => _recent.Count == 0 ? null : (double)_lostInWindow / _recent.Count;

    /// <summary>Echoes sent within the window.</summary>
    public int SentInWindow => _recent.Count;

    /// <summary>Echoes sent within the window that got no reply.</summary>
    public int LostInWindow => _lostInWindow;

    /// <summary>Replies since the start.</summary>
    public long Replies { get; private set; }

    /// <summary>The sum of the replies' RTTs since the start, in seconds.</summary>
    public double RoundTripSum { get; private set; }

    /// <summary>Appends the RTTs (seconds) of the replies sent within the window to <paramref name="into"/>.</summary>
    public void CopyRoundTrips(List<double> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (var echo in _recent)
        {
            if (!echo.Lost)
            {
                into.Add(echo.RoundTrip);
            }
        }
    }

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
            Replies++;
            RoundTripSum += rtt.TotalSeconds;
        }

        var sentAt = result.SentAt.UtcTicks;
        if (_newest is not { } newest || sentAt < newest - _window)
        {
            _recent.Clear();
            _lostInWindow = 0;
            newest = sentAt;
        }

        newest = Math.Max(sentAt, newest);
        _newest = newest;
        _recent.Enqueue(new Echo(sentAt, result.RoundTripTime is { } roundTrip ? roundTrip.TotalSeconds : double.NaN));
        _lostInWindow += result.RoundTripTime is null ? 1 : 0;

        // Results arrive in completion order (a timeout lands after later replies): trim by the newest send.
        var horizon = newest - _window;
        while (_recent.TryPeek(out var oldest) && oldest.SentAt < horizon)
        {
            _recent.Dequeue();
            _lostInWindow -= oldest.Lost ? 1 : 0;
        }
    }

    /// <summary>One echo in the window: its send time (UTC ticks) and RTT in seconds, NaN when lost.</summary>
    private readonly record struct Echo(long SentAt, double RoundTrip)
    {
        public bool Lost => double.IsNaN(RoundTrip);
    }
}
