using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Outages;

/// <summary>
/// Feeds every echo result to the <see cref="OutageTracker"/>, writes the verdicts and publishes transitions. The
/// tracker judges on the monotonic clock: each echo's send is placed there from its age when it completes (the wall
/// clock's now less its send time, which is exact while the wall clock does not step; for an echo in flight across a
/// step, its timeout for a loss that timed out, else nothing), so that a step of the wall clock neither makes nor hides
/// an outage (docs/time.md).
/// </summary>
public sealed class OutageDetector(
    MonitoredTargets targets,
    IOptions<OutageOptions> options,
    IOptions<IcmpOptions> icmp,
    ConnectivityMetrics metrics,
    ResultPublisher<OutageEvent> publisher,
    TimeProvider timeProvider) : IRecorder<PingResult>, IConnectivity
{
    /// <summary>Beyond the echo timeout, how late a result may be recorded and its age still be believed.</summary>
    private static readonly TimeSpan AgeSlack = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly long _origin = timeProvider.GetTimestamp();
    private OutageTracker? _tracker;

    public ConnectivityState State
    {
        get
        {
            lock (_lock)
            {
                return _tracker?.State ?? ConnectivityState.Unknown;
            }
        }
    }

    public OngoingOutage? CurrentOutage
    {
        get
        {
            lock (_lock)
            {
                return _tracker is { CurrentOutage: { } outage, CurrentOutageSince: { } since }
                    ? new OngoingOutage(outage.Start, timeProvider.GetElapsedTime(_origin) - since)
                    : null;
            }
        }
    }

    public void Record(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        OutageEvent? transition;
        lock (_lock)
        {
            _tracker ??= new OutageTracker(options.Value, targets.All);
            var now = timeProvider.GetElapsedTime(_origin);
            var sent = new Moment(result.SentAt, now - Age(result, timeProvider.GetUtcNow()));
            var since = _tracker.CurrentOutageSince;
            transition = _tracker.Observe(result, sent, now);
            switch (transition)
            {
                case OutageStarted started:
                    metrics.Started(started, _tracker.CurrentOutageSince!.Value);
                    break;
                case OutageEnded ended:
                    metrics.Ended(ended, since!.Value);
                    break;
            }

            metrics.Update(_tracker, now, result.Target);
        }

        if (transition is not null)
        {
            publisher.Publish(transition);
        }
    }

    /// <summary>How long before now the echo was sent: by the wall clock when that is believable (no step since the send), else its best guess.</summary>
    private TimeSpan Age(PingResult result, DateTimeOffset wallNow)
    {
        var timeout = icmp.Value.Timeout;
        var age = wallNow - result.SentAt;
        if (age >= TimeSpan.Zero && age <= timeout + AgeSlack)
        {
            return age;
        }

        // The wall clock stepped while the echo was in flight: a timeout completes its timeout after the send (a timer,
        // on the monotonic clock); a reply or an error comes within a round trip, so at once is the nearer guess.
        return result.Outcome == PingOutcome.Timeout ? timeout : TimeSpan.Zero;
    }
}
