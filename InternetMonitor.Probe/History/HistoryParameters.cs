using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace InternetMonitor.Probe.History;

/// <summary>
/// A history read's query parameters, bound as the text they came as: <see cref="HistoryQuery"/> checks them, so that a
/// bad one is answered with a sentence that names it (the API document says what each is: <see cref="HistoryEndpoints"/>).
/// </summary>
public sealed class HistoryParameters
{
    [FromQuery(Name = "from")]
    [Description("Start of the range, ISO 8601 (UTC unless it says otherwise). Default: `to` minus 30 days (1 day for latency).")]
    public string? From { get; init; }

    [FromQuery(Name = "to")]
    [Description("End of the range (exclusive), ISO 8601. Default: now.")]
    public string? To { get; init; }

    [FromQuery(Name = "format")]
    [Description("`json` (default) or `csv` (also chosen by `Accept: text/csv`): RFC 4180, UTC ISO 8601 times, formula-like cells prefixed with an apostrophe.")]
    public string? Format { get; init; }
}

/// <summary>A page of rows' parameters beside the range's: the page's size and where it starts.</summary>
public sealed class HistoryPageParameters
{
    [FromQuery(Name = "limit")]
    [Description("At most this many rows in the page, oldest first. Default and maximum 10000 (for CSV: 1000000, the whole range by default); a page that is not the range's last carries a `Link` to the next.")]
    public string? Limit { get; init; }

    [FromQuery(Name = "after")]
    [Description("Where the page starts: the opaque cursor of the `Link: <...>; rel=\"next\"` the page before gave (keyset paging: following `next` until it is absent reads every row of the range once, in order). Not made by hand.")]
    public string? After { get; init; }
}
