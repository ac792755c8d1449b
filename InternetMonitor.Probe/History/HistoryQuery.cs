using System.Globalization;
using InternetMonitor.Probe.Hosting;
using Microsoft.AspNetCore.Http.Extensions;

namespace InternetMonitor.Probe.History;

/// <summary>A history request's range, row limit, cursor, format and (for latency) target, checked.</summary>
public sealed record HistoryQuery(DateTimeOffset From, DateTimeOffset To, int Limit, bool Csv, string? Target, HistoryCursor? After = null)
{
    /// <summary>
    /// Checks a request's parameters (<paramref name="page"/> null: a range without pages; <paramref name="accept"/>: its
    /// Accept header); <paramref name="table"/> is the table a cursor must be of (null: no paging).
    /// </summary>
    public static (HistoryQuery? Query, string? Problem) Parse(
        HistoryParameters range, HistoryPageParameters? page, string? target, string? accept, DateTimeOffset now, TimeSpan defaultRange, string? table = null)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (!Time(range.To, now, out var to))
        {
            return (null, $"to must be an ISO 8601 time such as 2026-11-24T18:00:00Z (got {ClientText.Quote(range.To)})");
        }

        if (to <= DateTimeOffset.UnixEpoch)
        {
            return (null, "to must be after 1970-01-01T00:00:00Z, where the history begins");
        }

        // The default start is the range before to, and never before 1970 (a to near year 1 has no range before it).
        var earliest = to - DateTimeOffset.UnixEpoch < defaultRange ? DateTimeOffset.UnixEpoch : to - defaultRange;
        if (!Time(range.From, earliest, out var from))
        {
            return (null, $"from must be an ISO 8601 time such as 2026-11-24T18:00:00Z (got {ClientText.Quote(range.From)})");
        }

        if (from >= to)
        {
            return (null, "from must be before to");
        }

        var format = range.Format ?? string.Empty;
        if (format.Length > 0 && format is not ("json" or "csv"))
        {
            return (null, $"format must be json or csv (got {ClientText.Quote(format)})");
        }

        var csv = format == "csv" || (format.Length == 0 && accept is not null && accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

        // A CSV file is read whole by a spreadsheet: its default and its most are the range's rows, up to MaxCsvLimit.
        var max = csv ? HistoryEndpoints.MaxCsvLimit : HistoryEndpoints.MaxLimit;
        var limit = max;
        var text = page?.Limit ?? string.Empty;
        if (text.Length > 0 && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > max))
        {
            return (null, $"limit must be a whole number of rows from 1 to {max}{(csv ? " for CSV" : string.Empty)} (got {ClientText.Quote(text)})");
        }

        HistoryCursor? after = null;
        if (table is not null && page?.After is { } cursor && !HistoryCursor.TryDecode(cursor, table, out after))
        {
            return (null, $"after must be the cursor of a next link this endpoint gave (got {ClientText.Quote(cursor)})");
        }

        return (new HistoryQuery(from, to, limit, csv, string.IsNullOrEmpty(target) ? null : target, after), null);
    }

    /// <summary>
    /// The <c>Link</c> header (RFC 8288) of the page after <paramref name="next"/>: this request's path and parameters,
    /// its range pinned (a default <c>to</c> of now would move between pages) and <c>after</c> the cursor.
    /// </summary>
    public string NextLink(HttpRequest request, HistoryCursor next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var query = new QueryBuilder { { "from", Iso(From) }, { "to", Iso(To) } };
        foreach (var (key, values) in request.Query)
        {
            if (key is not ("from" or "to" or "after"))
            {
                foreach (var value in values)
                {
                    query.Add(key, value ?? string.Empty);
                }
            }
        }

        query.Add("after", next.Encode());
        return $"<{request.PathBase}{request.Path}{query}>; rel=\"next\"";
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool Time(string? value, DateTimeOffset fallback, out DateTimeOffset time)
    {
        if (string.IsNullOrEmpty(value))
        {
            time = fallback;
            return true;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
