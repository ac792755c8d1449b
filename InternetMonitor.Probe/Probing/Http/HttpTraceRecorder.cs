using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Telemetry;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>Each check as a span of the HTTP run, at its own time, with the status, body size and every finished phase.</summary>
public sealed class HttpTraceRecorder : IRecorder<HttpResult>
{
    private const string Prefix = ProbeTracing.Prefix + "http.";

    public void Record(HttpResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var activity = ProbeTracing.StartMeasurement("http check", result.Timestamp);
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Prefix + "target", result.Target.Name)
            .SetTag(Prefix + "duration_seconds", result.Total.TotalSeconds)
            .SetTag(Prefix + "body_bytes", result.BodyBytes);
        if (result.StatusCode is { } status)
        {
            activity.SetTag("http.response.status_code", status);
        }

        foreach (var (phase, duration) in result.Phases)
        {
            activity.SetTag(Prefix + "phase." + phase.ToString().ToLowerInvariant() + "_seconds", duration.TotalSeconds);
        }

        if (result.Reason is { } reason)
        {
            activity.SetTag(Prefix + "failed_in", result.FailedIn?.ToString().ToLowerInvariant());
            ProbeTracing.Fail(activity, reason, result.Detail);
        }

        activity.SetEndTime((result.Timestamp + result.Total).UtcDateTime);
    }
}
