using System.Collections.Concurrent;
using InternetMonitor.Probe.Targets;
using Prometheus;

namespace InternetMonitor.Probe.Outages;

/// <summary>
/// The connectivity verdicts as metrics. <c>internet_monitor_up</c> tells the truth: it is absent until the
/// first verdict, then 1 or 0; it never stays 1 while every packet is lost.
/// </summary>
public sealed class ConnectivityMetrics(IMetricFactory factory)
{
    private static readonly OutageCause[] Causes = Enum.GetValues<OutageCause>();

    private readonly Gauge _up = factory.CreateGauge("internet_monitor_up", "1 when the internet is up, 0 during an outage (absent until the first verdict).",
        new GaugeConfiguration { SuppressInitialValue = true });

    private readonly Gauge _gatewayUp = factory.CreateGauge("internet_monitor_gateway_up", "1 when the default gateway answers echoes, 0 when it has been silent for Monitor:Outage:DownAfter.",
        new GaugeConfiguration { SuppressInitialValue = true });

    private readonly Gauge _targetUp = factory.CreateGauge("internet_monitor_target_up", "1 when the target answers echoes, 0 when it has been silent for Monitor:Outage:DownAfter.", ["target"]);

    private readonly Gauge _active = factory.CreateGauge("internet_monitor_outage_active", "1 for the cause of the outage in progress, 0 for the others.", ["cause"]);

    private readonly Counter _outages = factory.CreateCounter("internet_monitor_outages_total", "Outages declared, by cause.", ["cause"]);

    private readonly Counter _outageSeconds = factory.CreateCounter("internet_monitor_outage_seconds_total", "Seconds of outage, by cause, counted from each outage's start while it lasts.", ["cause"]);

    // Children looked up once: Update runs on every echo.
    private readonly ConcurrentDictionary<string, Gauge.Child> _targetUpChildren = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<OutageCause, Gauge.Child> _activeChildren = new();

    // Monotonic: outage seconds are lengths, which a step of the wall clock must not change.
    private TimeSpan? _accountedUntil;
    private bool _described;

    /// <summary>An outage began at monotonic <paramref name="since"/>: its seconds are counted from there.</summary>
    public void Started(OutageStarted outage, TimeSpan since)
    {
        ArgumentNullException.ThrowIfNull(outage);
        _accountedUntil = since;
    }

    /// <summary>An outage is counted once it is kept in the history (<see cref="OutageCountRecorder"/>).</summary>
    public void Counted(OutageStarted outage)
    {
        ArgumentNullException.ThrowIfNull(outage);
        _outages.WithLabels(Label(outage.Cause)).Inc();
    }

    /// <summary>An outage that began at monotonic <paramref name="since"/> ended (its end is <c>since</c> plus its duration).</summary>
    public void Ended(OutageEnded outage, TimeSpan since)
    {
        ArgumentNullException.ThrowIfNull(outage);

        // Settle the seconds between the last update and the true end.
        var end = since + outage.Duration;
        if (_accountedUntil is { } until && end > until)
        {
            _outageSeconds.WithLabels(Label(outage.Cause)).Inc((end - until).TotalSeconds);
        }

        _accountedUntil = null;
    }

    /// <summary>
    /// The verdicts at monotonic <paramref name="now"/> after an echo to <paramref name="observed"/>, and the seconds of
    /// the outage in progress up to it. Only that target's own gauge is judged again: each target's verdict changes only
    /// with the time since its own last reply, and every target's echoes come back (replies or timeouts) each interval,
    /// where judging them all at each echo cost a thousand lookups an echo at 1,000 targets.
    /// </summary>
    public void Update(OutageTracker tracker, TimeSpan now, PingTarget observed)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(observed);
        if (tracker.State != ConnectivityState.Unknown)
        {
            _up.Set(tracker.State == ConnectivityState.Up ? 1 : 0);
        }

        var current = tracker.CurrentOutage;
        foreach (var cause in Causes)
        {
            _activeChildren.GetOrAdd(cause, static (cause, gauge) => gauge.WithLabels(Label(cause)), _active).Set(current?.Cause == cause ? 1 : 0);
        }

        if (current is not null && _accountedUntil is { } until)
        {
            // Not past a recovery in progress: if it holds, the outage ended there; if it fails, the gap is
            // counted on the next update, from where this one stopped.
            var upTo = tracker.RecoveringSince is { } recovering && recovering < now ? recovering : now;
            if (upTo > until)
            {
                _outageSeconds.WithLabels(Label(current.Cause)).Inc((upTo - until).TotalSeconds);
                _accountedUntil = upTo;
            }
        }

        if (tracker.IsUp(observed, now) is { } up)
        {
            _targetUpChildren.GetOrAdd(observed.Name, static (name, gauge) => gauge.WithLabels(name), _targetUp).Set(up ? 1 : 0);
            if (observed.Role == TargetRole.Gateway)
            {
                _gatewayUp.Set(up ? 1 : 0);
            }
        }

        if (!_described)
        {
            // Every cause from the first verdict on, so that increase() has a zero to start from.
            foreach (var cause in Causes)
            {
                _outages.WithLabels(Label(cause));
                _outageSeconds.WithLabels(Label(cause));
            }

            _described = true;
        }
    }

    public static string Label(OutageCause cause) => cause.ToString().ToLowerInvariant();
}
