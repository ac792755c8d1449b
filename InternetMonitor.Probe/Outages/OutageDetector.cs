using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Outages;

/// <summary>Feeds every echo result to the <see cref="OutageTracker"/>, writes the verdicts and publishes transitions.</summary>
public sealed class OutageDetector(
    MonitoredTargets targets,
    IOptions<OutageOptions> options,
    ConnectivityMetrics metrics,
    ResultPublisher<OutageEvent> publisher,
    TimeProvider timeProvider) : IRecorder<PingResult>, IConnectivity
{
    private readonly Lock _lock = new();
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

    public void Record(PingResult result)
    {
        OutageEvent? transition;
        lock (_lock)
        {
            _tracker ??= new OutageTracker(options.Value, targets.All);
            var now = timeProvider.GetUtcNow();
            transition = _tracker.Observe(result, now);
            switch (transition)
            {
                case OutageStarted started:
                    metrics.Started(started);
                    break;
                case OutageEnded ended:
                    metrics.Ended(ended);
                    break;
            }

            metrics.Update(_tracker, now);
        }

        if (transition is not null)
        {
            publisher.Publish(transition);
        }
    }
}
