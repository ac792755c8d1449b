using System.Diagnostics;

namespace InternetMonitor.Probe.Telemetry;

/// <summary>
/// The probe's spans: one per run of a scheduled job (<c>dns run</c>, <c>http run</c>, <c>speedtest run</c>), a child
/// span per measurement of the run with its figures as attributes, and one span per round of pings. Exported over
/// OTLP when an endpoint is configured (ServiceDefaults); without a listener no span is even created.
/// </summary>
public static class ProbeTracing
{
    public const string SourceName = "InternetMonitor.Probe";

    /// <summary>Attribute names: the probe's own, under one prefix, in Prometheus' units (seconds, bytes).</summary>
    public const string Prefix = "internet_monitor.";

    public static ActivitySource Source { get; } = new(SourceName, BuildInfo.Version);

    /// <summary>
    /// Writes one measurement as a child of the current span (the job run), placed at the measurement's own start and
    /// end, with the attributes <paramref name="describe"/> sets and, for a failed one, its reason and an error status
    /// carrying the detail. Nothing is done when no one listens.
    /// </summary>
    public static void Measurement(string name, DateTimeOffset start, DateTimeOffset end, string? failureReason, string? detail, Action<Activity> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        using var activity = Source.StartActivity(name, ActivityKind.Internal, parentContext: default, startTime: start);
        if (activity is null)
        {
            return;
        }

        describe(activity);
        if (failureReason is not null)
        {
            activity.SetTag(Prefix + "failure.reason", failureReason);
            activity.SetStatus(ActivityStatusCode.Error, detail ?? failureReason);
        }

        activity.SetEndTime(end.UtcDateTime);
    }
}
