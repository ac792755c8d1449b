using InternetMonitor.Probe.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Prometheus;

namespace InternetMonitor.Probe.Hosting;

/// <summary>Serves <c>/metrics</c>: the probe's <see cref="MetricsExposition"/>, in the format the scraper accepts.</summary>
public static class MetricsEndpoint
{
    public static IEndpointConventionBuilder MapProbeMetrics(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, async (HttpContext context, [FromServices] MetricsExposition exposition) =>
        {
            var (format, contentType) = MetricsExposition.Negotiate(context.Request.Headers.Accept);
            context.Response.ContentType = contentType;
            try
            {
                await exposition.WriteAsync(context.Response.Body, format, context.RequestAborted);
            }
            catch (ScrapeFailedException failed) when (!context.Response.HasStarted)
            {
                // A collect callback refused the scrape: 503 with its reason, as prometheus-net's own endpoint answers.
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(failed.Message, context.RequestAborted);
            }
        });
    }
}
