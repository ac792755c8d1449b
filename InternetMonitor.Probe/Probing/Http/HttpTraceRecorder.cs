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
        ProbeTracing.Measurement("http check", result.Timestamp, result.Timestamp + result.Total, result.Reason, result.Detail, activity =>
        {
            activity.SetTag(Prefix + "target", result.Target.Name)
                .SetTag(Prefix + "duration_seconds", result.Total.TotalSeconds)
                .SetTag(Prefix + "body_bytes", result.BodyBytes)
                .SetTag("http.response.status_code", result.StatusCode)
                .SetTag(Prefix + "failed_in", result.Reason is null ? null : result.FailedIn?.ToString().ToLowerInvariant());
            foreach (var (phase, duration) in result.Phases)
            {
                activity.SetTag(Prefix + "phase." + phase.ToString().ToLowerInvariant() + "_seconds", duration.TotalSeconds);
            }
        });
    }
}
