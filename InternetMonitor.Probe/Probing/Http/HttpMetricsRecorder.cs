using InternetMonitor.Probe.Recording;
using Prometheus;

namespace InternetMonitor.Probe.Probing.Http;

public sealed class HttpMetricsRecorder(IMetricFactory factory) : IRecorder<HttpResult>
{
    private readonly Histogram _duration = factory.CreateHistogram(
        "internet_monitor_http_duration_seconds",
        "Duration of each phase of an HTTP probe that completed (dns, connect, tls, processing, transfer).",
        ["target", "phase"],
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });

    private readonly Counter _requests = factory.CreateCounter(
        "internet_monitor_http_requests_total", "HTTP probes, by status code and HTTP version (\"none\" for both when no response came).", ["target", "code", "version"]);

    private readonly Counter _failures = factory.CreateCounter(
        "internet_monitor_http_failures_total", "Failed HTTP probes, by reason.", ["target", "reason"]);

    private readonly Gauge _size = factory.CreateGauge(
        "internet_monitor_http_response_size_bytes", "Body bytes read by the last successful probe (up to Monitor:Http:MaxBodyBytes).", ["target"]);

    public void Record(HttpResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var target = result.Target.Name;
        _requests.WithLabels(target, result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", result.Version ?? "none").Inc();
        foreach (var (phase, duration) in result.Phases)
        {
            _duration.WithLabels(target, phase.ToString().ToLowerInvariant()).Observe(duration.TotalSeconds);
        }

        if (result.Reason is { } reason)
        {
            _failures.WithLabels(target, reason).Inc();
        }
        else
        {
            _size.WithLabels(target).Set(result.BodyBytes);
            _failures.WithLabels(target, HttpFailureReason.Timeout);
        }
    }
}
