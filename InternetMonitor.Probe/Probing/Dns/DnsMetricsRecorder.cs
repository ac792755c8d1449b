using InternetMonitor.Probe.Recording;
using Prometheus;

namespace InternetMonitor.Probe.Probing.Dns;

public sealed class DnsMetricsRecorder(IMetricFactory factory) : IRecorder<DnsResult>
{
    private readonly Histogram _duration = factory.CreateHistogram(
        "internet_monitor_dns_duration_seconds",
        "Time from query to response, for every query that got a response (any response code).",
        ["server", "name"],
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    private readonly Counter _requests = factory.CreateCounter(
        "internet_monitor_dns_requests_total", "DNS queries, by response code (\"none\" when no response came).", ["server", "name", "rcode"]);

    private readonly Counter _failures = factory.CreateCounter(
        "internet_monitor_dns_failures_total", "Failed DNS queries, by reason.", ["server", "name", "reason"]);

    public void Record(DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var server = result.Query.Server;
        var name = result.Query.Name;
        _requests.WithLabels(server, name, result.ResponseCode ?? "none").Inc();
        if (result.Answered)
        {
            _duration.WithLabels(server, name).Observe(result.Duration.TotalSeconds);
        }

        if (result.Reason is { } reason)
        {
            _failures.WithLabels(server, name, reason).Inc();
        }
        else
        {
            // Present from the first success, so that rate() of failures has a zero to start from.
            _failures.WithLabels(server, name, DnsFailureReason.Timeout);
        }
    }
}
