using System.Globalization;
using System.Text.Json.Serialization.Metadata;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The history over HTTP, read-only: <c>/api/history/speedtests</c>, <c>/outages</c>, <c>/alerts</c>, <c>/latency</c>
/// (rows in a time range, oldest first) and <c>/availability</c>, each as JSON or, with <c>format=csv</c> (or
/// <c>Accept: text/csv</c>), as a CSV file for a spreadsheet. <c>from</c> and <c>to</c> are ISO 8601 times (UTC unless
/// they say otherwise); the range defaults to the last 30 days (the last day for latency); <c>limit</c> caps the rows.
/// Described in /openapi/v1.json.
/// </summary>
public static class HistoryEndpoints
{
    public const string Prefix = "/api/history";
    public const int DefaultLimit = 10_000;
    public const int MaxLimit = 1_000_000;

    public static WebApplication MapHistory(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet($"{Prefix}/speedtests", context => Serve(context, TimeSpan.FromDays(30), "speedtests",
            (reader, query) => Rows(reader.SpeedTests(query.From, query.To, query.Limit), HistoryJsonContext.Default.IReadOnlyListSpeedTestRecord, HistoryCsv.SpeedTests)));
        app.MapGet($"{Prefix}/outages", context => Serve(context, TimeSpan.FromDays(30), "outages",
            (reader, query) => Rows(reader.Outages(query.From, query.To, query.Limit), HistoryJsonContext.Default.IReadOnlyListOutageRecord, HistoryCsv.Outages)));
        app.MapGet($"{Prefix}/alerts", context => Serve(context, TimeSpan.FromDays(30), "alerts",
            (reader, query) => Rows(reader.Alerts(query.From, query.To, query.Limit), HistoryJsonContext.Default.IReadOnlyListAlertRecord, HistoryCsv.Alerts)));
        app.MapGet($"{Prefix}/latency", context => Serve(context, TimeSpan.FromDays(1), "latency",
            (reader, query) => Rows(reader.Latency(query.From, query.To, query.Target, query.Limit), HistoryJsonContext.Default.IReadOnlyListLatencyMinuteRecord, HistoryCsv.Latency)));
        app.MapGet($"{Prefix}/availability", context => Serve(context, TimeSpan.FromDays(30), "availability", (reader, query) =>
        {
            var availability = reader.Availability(query.From, query.To);
            return (availability, HistoryJsonContext.Default.AvailabilityRecord, HistoryCsv.Availability(availability));
        }));
        return app;
    }

    private static (object Value, JsonTypeInfo Json, string Csv) Rows<T>(IReadOnlyList<T> rows, JsonTypeInfo<IReadOnlyList<T>> json, Func<IEnumerable<T>, string> csv) =>
        (rows, json, csv(rows));

    private static async Task Serve(HttpContext context, TimeSpan defaultRange, string name, Func<HistoryReader, HistoryQuery, (object Value, JsonTypeInfo Json, string Csv)> read)
    {
        var reader = context.RequestServices.GetRequiredService<HistoryReader>();
        if (!reader.Enabled)
        {
            await Results.Text("history is off (Monitor:History:Enabled=false)\n", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var (query, problem) = HistoryQuery.Parse(context.Request, now, defaultRange);
        if (query is null)
        {
            await Results.Text(problem + "\n", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        (object Value, JsonTypeInfo Json, string Csv) result;
        try
        {
            result = read(reader, query);
        }
        catch (HistoryException exception)
        {
            await Results.Text(exception.Message + "\n", statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
            return;
        }

        if (query.Csv)
        {
            var file = string.Create(CultureInfo.InvariantCulture, $"internet-monitor-{name}-{query.From.UtcDateTime:yyyyMMdd'T'HHmm}-{query.To.UtcDateTime:yyyyMMdd'T'HHmm}.csv");
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
            await Results.Text(result.Csv, "text/csv; charset=utf-8").ExecuteAsync(context);
            return;
        }

        await Results.Json(result.Value, result.Json).ExecuteAsync(context);
    }
}

/// <summary>A history request's range, row limit, format and (for latency) target, checked.</summary>
public sealed record HistoryQuery(DateTimeOffset From, DateTimeOffset To, int Limit, bool Csv, string? Target)
{
    public static (HistoryQuery? Query, string? Problem) Parse(HttpRequest request, DateTimeOffset now, TimeSpan defaultRange)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        if (!Time(query["to"], now, out var to))
        {
            return (null, $"to must be an ISO 8601 time such as 2026-11-24T18:00:00Z (got \"{query["to"]}\")");
        }

        if (!Time(query["from"], to - defaultRange, out var from))
        {
            return (null, $"from must be an ISO 8601 time such as 2026-11-24T18:00:00Z (got \"{query["from"]}\")");
        }

        if (from >= to)
        {
            return (null, "from must be before to");
        }

        var limit = HistoryEndpoints.DefaultLimit;
        var text = query["limit"].ToString();
        if (text.Length > 0 && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > HistoryEndpoints.MaxLimit))
        {
            return (null, $"limit must be a whole number of rows from 1 to {HistoryEndpoints.MaxLimit} (got \"{text}\")");
        }

        var format = query["format"].ToString();
        if (format.Length > 0 && format is not ("json" or "csv"))
        {
            return (null, $"format must be json or csv (got \"{format}\")");
        }

        var csv = format == "csv" || (format.Length == 0 && request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        var target = query["target"].ToString();
        return (new HistoryQuery(from, to, limit, csv, target.Length > 0 ? target : null), null);
    }

    private static bool Time(Microsoft.Extensions.Primitives.StringValues value, DateTimeOffset fallback, out DateTimeOffset time)
    {
        if (value.Count == 0 || string.IsNullOrEmpty(value[0]))
        {
            time = fallback;
            return true;
        }

        return DateTimeOffset.TryParse(value[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
