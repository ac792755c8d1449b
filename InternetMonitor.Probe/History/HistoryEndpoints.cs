using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using InternetMonitor.Probe.Hosting;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The history over HTTP, read-only: <c>/api/history/speedtests</c>, <c>/outages</c>, <c>/alerts</c>, <c>/latency</c>
/// (rows in a time range, oldest first, a page of at most <c>limit</c> at a time, streamed as they are read) and
/// <c>/availability</c>, each as JSON or, with <c>format=csv</c> (or <c>Accept: text/csv</c>), as a CSV file for a
/// spreadsheet. <c>from</c> and <c>to</c> are ISO 8601 times (UTC unless they say otherwise); the range defaults to the
/// last 30 days (the last day for latency). A page that is not the range's last carries <c>Link: &lt;...&gt;; rel="next"</c>,
/// the URL of the next one (keyset: <c>after</c> the page's last row). At most <see cref="HistoryOptions.MaxConcurrentReads"/>
/// run at once (<see cref="HistoryReadLimit"/>). Described in /openapi/v1.json.
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
        app.MapGet($"{Prefix}/speedtests", context => Rows(context, HistoryReader.SpeedTestTable, TimeSpan.FromDays(30),
            (reader, query) => reader.SpeedTests(query.From, query.To, query.Limit, query.After), HistoryJsonContext.Default.SpeedTestRecord, HistoryCsv.SpeedTestHeader, HistoryCsv.Cells))
            .RequireRateLimiting(HistoryReadLimit.Policy);
        app.MapGet($"{Prefix}/outages", context => Rows(context, HistoryReader.OutageTable, TimeSpan.FromDays(30),
            (reader, query) => reader.Outages(query.From, query.To, query.Limit, query.After), HistoryJsonContext.Default.OutageRecord, HistoryCsv.OutageHeader, HistoryCsv.Cells))
            .RequireRateLimiting(HistoryReadLimit.Policy);
        app.MapGet($"{Prefix}/alerts", context => Rows(context, HistoryReader.AlertTable, TimeSpan.FromDays(30),
            (reader, query) => reader.Alerts(query.From, query.To, query.Limit, query.After), HistoryJsonContext.Default.AlertRecord, HistoryCsv.AlertHeader, HistoryCsv.Cells))
            .RequireRateLimiting(HistoryReadLimit.Policy);
        app.MapGet($"{Prefix}/latency", context => Rows(context, HistoryReader.LatencyTable, TimeSpan.FromDays(1),
            (reader, query) => reader.Latency(query.From, query.To, query.Target, query.Limit, query.After), HistoryJsonContext.Default.LatencyMinuteRecord, HistoryCsv.LatencyHeader, HistoryCsv.Cells))
            .RequireRateLimiting(HistoryReadLimit.Policy);
        app.MapGet($"{Prefix}/availability", Availability).RequireRateLimiting(HistoryReadLimit.Policy);
        return app;
    }

    private static async Task Rows<T>(
        HttpContext context, string table, TimeSpan defaultRange, Func<HistoryReader, HistoryQuery, HistoryPage<T>> read,
        JsonTypeInfo<T> json, string csvHeader, Func<T, object?[]> cells)
    {
        var (reader, query) = await Prepare(context, defaultRange, table).ConfigureAwait(false);
        if (query is null)
        {
            return;
        }

        HistoryPage<T> page;
        try
        {
            page = read(reader, query);
        }
        catch (HistoryException exception)
        {
            await Unreadable(context, exception).ConfigureAwait(false);
            return;
        }

        using (page)
        {
            using var work = context.RequestServices.GetRequiredService<MemoryReturn>().Work();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(ResponseTimeLimit);
            if (page.Next is { } next)
            {
                context.Response.Headers.Link = query.NextLink(context.Request, next);
            }

            try
            {
                if (query.Csv)
                {
                    Attachment(context, table, query);
                    await HistoryResponse.WriteCsvAsync(context.Response, page, csvHeader, cells, deadline.Token).ConfigureAwait(false);
                }
                else
                {
                    await HistoryResponse.WriteJsonAsync(context.Response, page, json, deadline.Token).ConfigureAwait(false);
                }
            }
            catch (HistoryException exception) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Unreadable(context, exception).ConfigureAwait(false);
            }
            catch (HistoryException)
            {
                // The status line and part of the rows have gone: end the connection, so that the client sees a cut
                // response rather than a short one that looks whole (the reader has logged why).
                context.Abort();
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                context.Abort(); // past ResponseTimeLimit: cut, as above
            }
        }
    }

    private static async Task Availability(HttpContext context)
    {
        var (reader, query) = await Prepare(context, TimeSpan.FromDays(30), table: null).ConfigureAwait(false);
        if (query is null)
        {
            return;
        }

        using var work = context.RequestServices.GetRequiredService<MemoryReturn>().Work();
        AvailabilityRecord availability;
        try
        {
            availability = reader.Availability(query.From, query.To);
        }
        catch (HistoryException exception)
        {
            await Unreadable(context, exception).ConfigureAwait(false);
            return;
        }

        if (query.Csv)
        {
            Attachment(context, "availability", query);
            await Results.Text(HistoryCsv.Availability(availability), "text/csv; charset=utf-8").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await Results.Json(availability, HistoryJsonContext.Default.AvailabilityRecord).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>The reader and the checked query, or null for the query once the answer (404, 400) has been given.</summary>
    private static async Task<(HistoryReader Reader, HistoryQuery? Query)> Prepare(HttpContext context, TimeSpan defaultRange, string? table)
    {
        var reader = context.RequestServices.GetRequiredService<HistoryReader>();
        if (!reader.Enabled)
        {
            await Results.Text("history is off (Monitor:History:Enabled=false)\n", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context).ConfigureAwait(false);
            return (reader, null);
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var (query, problem) = HistoryQuery.Parse(context.Request, now, defaultRange, table);
        if (query is null)
        {
            await Results.Text(problem + "\n", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context).ConfigureAwait(false);
        }

        return (reader, query);
    }

    /// <summary>503 with the reason alone: the file's path stays in the probe's log (<see cref="HistoryReader"/>).</summary>
    private static Task Unreadable(HttpContext context, HistoryException exception) =>
        Results.Text($"the history database cannot be read ({exception.Reason}); the probe's log says why\n", statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);

    private static void Attachment(HttpContext context, string name, HistoryQuery query)
    {
        var file = string.Create(CultureInfo.InvariantCulture, $"internet-monitor-{name}-{query.From.UtcDateTime:yyyyMMdd'T'HHmm}-{query.To.UtcDateTime:yyyyMMdd'T'HHmm}.csv");
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
    }
}
