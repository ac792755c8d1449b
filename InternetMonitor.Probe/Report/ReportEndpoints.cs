using System.ComponentModel;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// The provider report: <c>/api/report</c> (JSON) of a local calendar month (<c>month=YYYY-MM</c>, default the current
/// one) or of a campaign (<c>campaign=ID</c>), and <c>/report</c>, the page that draws it (embedded, charts by the status
/// page's uPlot, printable on A4). Read-only; it reads the history, so it shares the history's limit on reads at once.
/// </summary>
public static class ReportEndpoints
{
    public const string ApiPath = "/api/report";

    public const string PagePath = "/report";

    private const string Tag = "report";

    public static WebApplication MapReport(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var page = EmbeddedText.Read("InternetMonitor.Probe.Report.report.html");
        var policy = SecurityHeaders.ContentSecurityPolicy(page);
        app.MapGet(PagePath, (HttpContext context) =>
            {
                SecurityHeaders.ForPage(context, policy);
                return TypedResults.Text(page, "text/html; charset=utf-8");
            })
            .WithTags(Tag)
            .WithSummary("The provider report (HTML) of a month or a campaign: plan against measured, verdict, availability, latency, method; it asks /api/report with its own query")
            .ProducesText(StatusCodes.Status200OK, "The page.", "text/html");
        app.MapGet(ApiPath, Read)
            .RequireRateLimiting(HistoryReadLimit.Policy)
            .WithTags(Tag)
            .WithSummary("The provider report of a local calendar month or of a campaign")
            .WithQuerySchema("month", schema =>
            {
                schema.Type = JsonSchemaType.String;
                schema.Pattern = "^[0-9]{4}-[0-9]{2}$";
            })
            .ProducesJson<ProviderReport, RouteHandlerBuilder>(StatusCodes.Status200OK, "The report.")
            .ProducesText(StatusCodes.Status400BadRequest, "A malformed month, a month in the future, or both a month and a campaign: one sentence saying which.")
            .ProducesText(StatusCodes.Status404NotFound, "History is off (Monitor:History:Enabled=false), or the history holds no such campaign.")
            .ProducesText(StatusCodes.Status429TooManyRequests, "Too many history reads run at once (Monitor:History:MaxConcurrentReads, default 2); ask again after Retry-After.")
            .WithResponseHeader(StatusCodes.Status429TooManyRequests, "Retry-After", "Seconds to wait.", JsonSchemaType.Integer)
            .ProducesText(StatusCodes.Status503ServiceUnavailable, "The history database cannot be read; the sentence gives the reason, the probe's log the file.");
        return app;
    }

    private static Results<JsonHttpResult<ProviderReport>, ContentHttpResult> Read(
        [FromQuery(Name = "month"), Description("A local calendar month, `YYYY-MM` (Monitor:Report:TimeZone). Default: the current one.")] string? month,
        [FromQuery(Name = "campaign"), Description("A campaign's id (`POST /api/campaigns` gave it): the report of its range, its verdict.")] string? campaign,
        [FromServices] ReportReader reader,
        [FromServices] TimeProvider clock,
        [FromServices] MemoryReturn memory)
    {
        if (!reader.Enabled)
        {
            return Refuse(StatusCodes.Status404NotFound, "history is off (Monitor:History:Enabled=false)");
        }

        if (!string.IsNullOrEmpty(month) && !string.IsNullOrEmpty(campaign))
        {
            return Refuse(StatusCodes.Status400BadRequest, "give month or campaign, not both: a report covers a calendar month or one campaign");
        }

        using var work = memory.Work();
        try
        {
            ReportScope scope;
            var now = clock.GetUtcNow();
            if (!string.IsNullOrEmpty(campaign))
            {
                if (reader.Campaign(campaign) is not { } record)
                {
                    return Refuse(StatusCodes.Status404NotFound, $"the history holds no campaign {ClientText.Quote(campaign)}");
                }

                scope = ReportScope.ForCampaign(record, now);
            }
            else
            {
                var zone = reader.Zone;
                var (first, problem) = ReportScope.ParseMonth(month, zone, now);
                if (first is not { } chosen)
                {
                    return Refuse(StatusCodes.Status400BadRequest, problem!);
                }

                scope = ReportScope.ForMonth(chosen, zone, reader.ZoneName, now);
            }

            return TypedResults.Json(reader.Read(scope), ReportJsonContext.Default.ProviderReport);
        }
        catch (HistoryException exception)
        {
            return HistoryEndpoints.Unreadable(exception);
        }
    }

    private static ContentHttpResult Refuse(int status, string sentence) => TypedResults.Text(sentence + "\n", statusCode: status);
}
