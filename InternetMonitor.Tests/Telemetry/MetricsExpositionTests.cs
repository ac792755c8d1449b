using InternetMonitor.Probe.Telemetry;
using InternetMonitor.Tests.Support;
using Prometheus;

namespace InternetMonitor.Tests.Telemetry;

[Trait(Layer.Key, Layer.Unit)]
public sealed class MetricsExpositionTests
{
    [Theory]
    [InlineData(null, ExpositionFormat.PrometheusText)]
    [InlineData("text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", ExpositionFormat.OpenMetricsText)]
    [InlineData("application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", ExpositionFormat.OpenMetricsText)]
    [InlineData("application/openmetrics-text;q=0, text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("garbage;;;=", ExpositionFormat.PrometheusText)]
    public void The_format_follows_the_accept_header(string? accept, ExpositionFormat expected)
    {
        var (format, contentType) = MetricsExposition.Negotiate(accept);
        Assert.Equal(expected, format);
        Assert.StartsWith(expected == ExpositionFormat.OpenMetricsText ? "application/openmetrics-text; version=1.0.0" : "text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
    }
}
