using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using InternetMonitor.Probe.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The history over HTTP, read-only: <c>/api/history/speedtests</c>, <c>/outages</c>, <c>/alerts</c>, <c>/latency</c>
/// (rows in a time range, oldest first, a page of at most <c>limit</c> at a time, streamed as they are read) and
/// <c>/availability</c>, each as JSON or, with <c>format=csv</c> (or <c>Accept: text/csv</c>), as a CSV file for a
/// spreadsheet. <c>from</c> and <c>to</c> are ISO 8601 times (UTC unless they say otherwise); the range defaults to the
/// last 30 days (the last day for latency). A page that is not the range's last carries <c>Link: &lt;...&gt;; rel="next"</c>,
/// the URL of the next one (keyset: <c>after</c> the page's last row). At most <see cref="HistoryOptions.MaxConcurrentReads"/>
/// run at once (<see cref="HistoryReadLimit"/>). Each describes itself in /openapi/v1.json (<see cref="ApiDocument"/>).
/// </summary>
public static class HistoryEndpoints
{
    public const string Prefix = "/api/history";

    /// <summary>The page a request gets without <c>limit</c>: the largest (a day of latency for up to 6 targets).</summary>
    public const int DefaultLimit = MaxLimit;

    /// <summary>The largest page: a few MB of JSON, written in a second or two even on a Raspberry Pi.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>
    /// The largest CSV file, and a CSV request's default: a spreadsheet does not follow <c>Link</c>, so an export holds the
    /// whole range (30 days of latency for 7 targets is 302,400 rows), streamed like a page.
    /// </summary>
    public const int MaxCsvLimit = 1_000_000;

    /// <summary>
    /// The longest a history answer may take to send: a client that reads slowly holds a read slot and a database
    /// snapshot (which keeps the WAL from being reset) no longer than this.
    /// </summary>
    public static readonly TimeSpan ResponseTimeLimit = TimeSpan.FromMinutes(5);

    public static WebApplication MapHistory(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet($"{Prefix}/speedtests", ([AsParameters] HistoryParameters range, [AsParameters] HistoryPageParameters page, [FromServices] HistoryReader reader, [FromServices] TimeProvider clock, HttpContext context) =>
                Rows(context, reader, clock, range, page, target: null, HistoryReader.SpeedTestTable, TimeSpan.FromDays(30),
                    (reader, query) => reader.SpeedTests(query.From, query.To, query.Limit, query.After), HistoryJsonContext.Default.SpeedTestRecord, HistoryCsv.SpeedTestHeader, HistoryCsv.Cells))
            .DescribeRows<SpeedTestRecord>("Speed tests in a range, succeeded or failed", HistoryCsv.SpeedTestHeader);
        app.MapGet($"{Prefix}/outages", ([AsParameters] HistoryParameters range, [AsParameters] HistoryPageParameters page, [FromServices] HistoryReader reader, [FromServices] TimeProvider clock, HttpContext context) =>
                Rows(context, reader, clock, range, page, target: null, HistoryReader.OutageTable, TimeSpan.FromDays(30),
                    (reader, query) => reader.Outages(query.From, query.To, query.Limit, query.After), HistoryJsonContext.Default.OutageRecord, HistoryCsv.OutageHeader, HistoryCsv.Cells))
            .DescribeRows<OutageRecord>("Outages that overlap a range (an ongoing one runs to now)", HistoryCsv.OutageHeader);
        app.MapGet($"{Prefix}/alerts", ([AsParameters] HistoryParameters range, [AsParameters] HistoryPageParameters page, [FromServices] HistoryReader reader, [FromServices] TimeProvider clock, HttpContext context) =>
                Rows(context, reader, clock, range, page, target: null, HistoryReader.AlertTable, TimeSpan.FromDays(30),
                    (reader, query) => reader.Alerts(query.From, query.To, query.Limit, query.After), HistoryJsonContext.Default.AlertRecord, HistoryCsv.AlertHeader, HistoryCsv.Cells))
            .DescribeRows<AlertRecord>("Alert notifications received from Alertmanager in a range, each kept once", HistoryCsv.AlertHeader);
        app.MapGet($"{Prefix}/latency", (
                [AsParameters] HistoryParameters range, [AsParameters] HistoryPageParameters page,
                [FromQuery, Description("Only this target (its name, e.g. `cloudflare`, `gateway`).")] string? target,
                [FromServices] HistoryReader reader, [FromServices] TimeProvider clock, HttpContext context) =>
                Rows(context, reader, clock, range, page, target, HistoryReader.LatencyTable, TimeSpan.FromDays(1),
                    (reader, query) => reader.Latency(query.From, query.To, query.Target, query.Limit, query.After), HistoryJsonContext.Default.LatencyMinuteRecord, HistoryCsv.LatencyHeader, HistoryCsv.Cells))
            .DescribeRows<LatencyMinuteRecord>("One-minute latency and loss per target in a range", HistoryCsv.LatencyHeader);
        app.MapGet($"{Prefix}/availability", Availability)
            .DescribeRead("The share of a range outside any outage (the range cut at now)")
            .ProducesJson<AvailabilityRecord, RouteHandlerBuilder>(StatusCodes.Status200OK, "One record.")
            .WithTextVariant(StatusCodes.Status200OK, "text/csv", HistoryCsv.AvailabilityHeader + "\r\n")
            .WithResponseHeader(StatusCodes.Status200OK, "Content-Disposition", CsvFileDescription);
        return app;
    }

    private const string CsvFileDescription = "With `format=csv`: `attachment; filename=\"internet-monitor-<name>-<from>-<to>.csv\"` (UTC, `yyyyMMddTHHmm`).";

    /// <summary>What a page of rows is in the API document: the rows as JSON or as a CSV file, and the Link to the next page.</summary>
    private static RouteHandlerBuilder DescribeRows<T>(this RouteHandlerBuilder builder, string summary, string csvHeader) => builder
        .DescribeRead(summary)
        .ProducesJson<IReadOnlyList<T>, RouteHandlerBuilder>(StatusCodes.Status200OK, "The page's rows, oldest first, streamed.")
        .WithTextVariant(StatusCodes.Status200OK, "text/csv", csvHeader + "\r\n")
        .WithResponseHeader(StatusCodes.Status200OK, "Link", "`<URL>; rel=\"next\"` (RFC 8288) when rows follow this page: the same request, its range pinned, with `after` set. Absent on the range's last page.")
        .WithResponseHeader(StatusCodes.Status200OK, "Content-Disposition", CsvFileDescription)
        .WithQuerySchema("limit", ApiDescription.WholeNumber(1, MaxCsvLimit));

    /// <summary>What every history read shares: its tag, its limit on reads at once, its parameters and its refusals.</summary>
    private static RouteHandlerBuilder DescribeRead(this RouteHandlerBuilder builder, string summary) => builder
        .RequireRateLimiting(HistoryReadLimit.Policy)
        .WithTags("history")
        .WithSummary(summary)
        .WithQuerySchema("from", ApiDescription.Time)
        .WithQuerySchema("to", ApiDescription.Time)
        .WithQuerySchema("format", ApiDescription.OneOf("json", "csv"))
        .ProducesText(StatusCodes.Status400BadRequest, "A bad parameter: one sentence saying which and why.")
        .ProducesText(StatusCodes.Status404NotFound, "History is off (Monitor:History:Enabled=false).")
        .ProducesText(StatusCodes.Status429TooManyRequests, "Too many history reads run at once (Monitor:History:MaxConcurrentReads, default 2); ask again after Retry-After.")
        .WithResponseHeader(StatusCodes.Status429TooManyRequests, "Retry-After", "Seconds to wait.", JsonSchemaType.Integer)
        .ProducesText(StatusCodes.Status503ServiceUnavailable, "The history database cannot be read; the sentence gives the reason (busy, corrupt, io, ...), the probe's log the file.");

    private static Results<HistoryPageResult<T>, ContentHttpResult> Rows<T>(
        HttpContext context, HistoryReader reader, TimeProvider clock, HistoryParameters range, HistoryPageParameters page, string? target,
        string table, TimeSpan defaultRange, Func<HistoryReader, HistoryQuery, HistoryPage<T>> read,
        JsonTypeInfo<T> json, string csvHeader, Func<T, object?[]> cells)
    {
        var (query, refusal) = Prepare(context.Request, reader, clock, range, page, target, defaultRange, table);
        if (query is null)
        {
            return refusal!;
        }

        HistoryPage<T> rows;
        try
        {
            rows = read(reader, query);
        }
        catch (HistoryException exception)
        {
            return Unreadable(exception);
        }

        if (query.Csv)
        {
            Attachment(context, table, query);
        }

        return new HistoryPageResult<T>(rows, query, json, csvHeader, cells);
    }

    private static Results<JsonHttpResult<AvailabilityRecord>, ContentHttpResult> Availability(
        [AsParameters] HistoryParameters range, [FromServices] HistoryReader reader, [FromServices] TimeProvider clock, [FromServices] MemoryReturn memory, HttpContext context)
    {
        var (query, refusal) = Prepare(context.Request, reader, clock, range, page: null, target: null, TimeSpan.FromDays(30), table: null);
        if (query is null)
        {
            return refusal!;
        }

        using var work = memory.Work();
        AvailabilityRecord availability;
        try
        {
            availability = reader.Availability(query.From, query.To);
        }
        catch (HistoryException exception)
        {
            return Unreadable(exception);
        }

        if (query.Csv)
        {
            Attachment(context, "availability", query);
            return TypedResults.Text(HistoryCsv.Availability(availability), "text/csv; charset=utf-8");
        }

        return TypedResults.Json(availability, HistoryJsonContext.Default.AvailabilityRecord);
    }

    /// <summary>The checked query, or null and the answer (404, 400) to give instead.</summary>
    private static (HistoryQuery? Query, ContentHttpResult? Refusal) Prepare(
        HttpRequest request, HistoryReader reader, TimeProvider clock, HistoryParameters range, HistoryPageParameters? page, string? target, TimeSpan defaultRange, string? table)
    {
        if (!reader.Enabled)
        {
            return (null, TypedResults.Text("history is off (Monitor:History:Enabled=false)\n", statusCode: StatusCodes.Status404NotFound));
        }

        var (query, problem) = HistoryQuery.Parse(range, page, target, request.Headers.Accept.ToString(), clock.GetUtcNow(), defaultRange, table);
        return query is null ? (null, TypedResults.Text(problem + "\n", statusCode: StatusCodes.Status400BadRequest)) : (query, null);
    }

    /// <summary>503 with the reason alone: the file's path stays in the probe's log (<see cref="HistoryReader"/>).</summary>
    internal static ContentHttpResult Unreadable(HistoryException exception) =>
        TypedResults.Text($"the history database cannot be read ({exception.Reason}); the probe's log says why\n", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static void Attachment(HttpContext context, string name, HistoryQuery query)
    {
        var file = string.Create(CultureInfo.InvariantCulture, $"internet-monitor-{name}-{query.From.UtcDateTime:yyyyMMdd'T'HHmm}-{query.To.UtcDateTime:yyyyMMdd'T'HHmm}.csv");
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
    }
}
