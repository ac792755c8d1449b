using System.Text.Json.Serialization;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Probe.Targets;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.StatusPage;

/// <summary>
/// The page a person reads, at <c>/</c>: up or down now and why, availability, latency and loss per target, speed tests
/// against the plan, outages, alerts and export links, drawn from the history API by uPlot (vendored from npm in
/// StatusPage/uplot/ and embedded in the probe: nothing is fetched from elsewhere at run time). <c>/api/status</c> is
/// what it asks for the state now. Read-only.
/// </summary>
public static class StatusEndpoints
{
    public static WebApplication MapStatusPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var page = Resource("index.html");
        var script = Resource("uplot.js");
        var style = Resource("uplot.css");
        var policy = SecurityHeaders.ContentSecurityPolicy(page);
        app.MapGet("/", context =>
        {
            SecurityHeaders.ForPage(context, policy);
            return Results.Text(page, "text/html; charset=utf-8").ExecuteAsync(context);
        });
        app.MapGet("/status/uplot.js", context => Cached(context, script, "text/javascript; charset=utf-8"));
        app.MapGet("/status/uplot.css", context => Cached(context, style, "text/css; charset=utf-8"));
        app.MapGet("/api/status", context =>
        {
            var services = context.RequestServices;
            var plan = services.GetRequiredService<IOptions<PlanOptions>>().Value;
            var status = new ProbeStatus(
                services.GetRequiredService<IConnectivity>().State.ToString().ToLowerInvariant(),
                [.. services.GetRequiredService<MonitoredTargets>().All.Select(target => target.Name)],
                new PlanStatus(plan.DownloadMbps, plan.UploadMbps),
                services.GetRequiredService<TimeProvider>().GetUtcNow());
            return Results.Json(status, StatusJsonContext.Default.ProbeStatus).ExecuteAsync(context);
        });
        return app;
    }

    private static Task Cached(HttpContext context, string text, string type)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Text(text, type).ExecuteAsync(context);
    }

    private static string Resource(string name) => EmbeddedText.Read($"InternetMonitor.Probe.StatusPage.{name}");
}

/// <summary>What <c>/api/status</c> answers: the connection's state now (up, down, unknown before the first echoes), the targets, the plan.</summary>
public sealed record ProbeStatus(string State, IReadOnlyList<string> Targets, PlanStatus Plan, DateTimeOffset CheckedAt);

/// <summary>The speeds the provider sells (0: none configured), in Mbit/s.</summary>
public sealed record PlanStatus(double DownloadMbps, double UploadMbps);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProbeStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
