using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Probe.Targets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
        app.MapGet("/", (HttpContext context) =>
            {
                SecurityHeaders.ForPage(context, policy);
                return TypedResults.Text(page, "text/html; charset=utf-8");
            })
            .WithTags(Tag)
            .WithSummary("The status page (HTML): up or down now, availability, latency, loss, speed tests, outages, alerts, exports")
            .ProducesText(StatusCodes.Status200OK, "The page.", "text/html");
        app.MapGet("/status/uplot.js", (HttpResponse response) => Cached(response, script, "text/javascript; charset=utf-8"))
            .WithTags(Tag)
            .WithSummary("The charting library the page draws with (uPlot), cached for a day")
            .ProducesText(StatusCodes.Status200OK, "The script.", "text/javascript");
        app.MapGet("/status/uplot.css", (HttpResponse response) => Cached(response, style, "text/css; charset=utf-8"))
            .WithTags(Tag)
            .WithSummary("The charting library's style sheet, cached for a day")
            .ProducesText(StatusCodes.Status200OK, "The style sheet.", "text/css");
        app.MapGet("/api/status", ([FromServices] IOptions<PlanOptions> plan, [FromServices] IConnectivity connectivity, [FromServices] MonitoredTargets targets, [FromServices] CampaignRunner campaigns, [FromServices] TimeProvider clock) =>
                TypedResults.Json(
                    new ProbeStatus(
                        connectivity.State.ToString().ToLowerInvariant(),
                        [.. targets.All.Select(target => target.Name)],
                        PlanStatus.Of(plan.Value),
                        clock.GetUtcNow(),
                        campaigns.Status()),
                    StatusJsonContext.Default.ProbeStatus))
            .WithTags(Tag)
            .WithSummary("The connection's state now, the targets, the plan and the measurement campaign under way (what the status page asks first)")
            .ProducesJson<ProbeStatus, RouteHandlerBuilder>(StatusCodes.Status200OK, "The state now.");
        return app;
    }

    private const string Tag = "status";

    private static ContentHttpResult Cached(HttpResponse response, string text, string type)
    {
        response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Text(text, type);
    }

    private static string Resource(string name) => EmbeddedText.Read($"InternetMonitor.Probe.StatusPage.{name}");
}

/// <summary>What <c>/api/status</c> answers: the connection's state now (up, down, unknown before the first echoes), the targets, the plan.</summary>
public sealed record ProbeStatus(
    [property: Description("`unknown` until the first echoes have been judged."), AllowedValues("up", "down", "unknown")] string State,
    [property: Description("The names of the monitored targets.")] IReadOnlyList<string> Targets,
    [property: Description("The contract's speeds (0: not stated).")] PlanStatus Plan,
    DateTimeOffset CheckedAt,
    [property: Description("The measurement campaign under way (as GET /api/campaigns/current gives it), or null.")] CampaignStatus? Campaign = null);

/// <summary>The contract's speeds (Monitor:Plan; 0: not stated), in Mbit/s: the maximum, the normally available and the minimum.</summary>
public sealed record PlanStatus(double DownloadMbps, double UploadMbps, double DownloadNormalMbps = 0, double UploadNormalMbps = 0, double DownloadMinimumMbps = 0, double UploadMinimumMbps = 0)
{
    public static PlanStatus Of(PlanOptions plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(plan.DownloadMbps, plan.UploadMbps, plan.DownloadNormalMbps, plan.UploadNormalMbps, plan.DownloadMinimumMbps, plan.UploadMinimumMbps);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProbeStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
