using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Telemetry;

namespace InternetMonitor.Probe.Probing.Dns;

/// <summary>Each query as a span of the DNS run, at its own time, with the server, name, answer and duration.</summary>
public sealed class DnsTraceRecorder : IRecorder<DnsResult>
{
    private const string Prefix = ProbeTracing.Prefix + "dns.";

    public void Record(DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ProbeTracing.Measurement("dns query", result.Timestamp, result.Timestamp + result.Duration, result.Reason, result.Detail, activity =>
            activity.SetTag(Prefix + "server", result.Query.Server)
                .SetTag(Prefix + "name", result.Query.Name)
                .SetTag(Prefix + "type", result.Query.Type.ToString())
                .SetTag(Prefix + "duration_seconds", result.Duration.TotalSeconds)
                .SetTag(Prefix + "answers", result.Answers)
                .SetTag(Prefix + "rcode", result.ResponseCode));
    }
}
