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
    /// A finished child span of the current one (the job run), placed at the measurement's own time, or null when
    /// no one listens. The caller sets its attributes and disposes it.
    /// </summary>
    public static Activity? StartMeasurement(string name, DateTimeOffset start) =>
        Source.StartActivity(name, ActivityKind.Internal, Activity.Current?.Context ?? default, startTime: start);

    public static void Fail(Activity activity, string reason, string? detail)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.SetTag(Prefix + "failure.reason", reason);
        activity.SetStatus(ActivityStatusCode.Error, detail ?? reason);
    }
}
