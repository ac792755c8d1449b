using System.Globalization;
using System.Text;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The history as CSV for a spreadsheet (RFC 4180): a header line, one row per record, times in UTC ISO 8601 with
/// milliseconds, numbers with a dot. A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab
/// or a carriage return) is written with a leading apostrophe, so that a server name or an alert's text from elsewhere
/// can never execute anything when the file is opened.
/// </summary>
public static class HistoryCsv
{
    public const string SpeedTestHeader = "started_at,ended_at,server,server_type,result,download_mbps,upload_mbps,download_bytes,upload_bytes,idle_latency_ms,idle_jitter_ms,download_latency_ms,upload_latency_ms,reason,failed_in,detail,campaign";
    public const string OutageHeader = "started_at,ended_at,duration_seconds,cause,ongoing";
    public const string AlertHeader = "received_at,status,alert_name,severity,summary,description,starts_at,ends_at,fingerprint";
    public const string LatencyHeader = "minute,target,role,address,sent,lost,loss_ratio,min_ms,median_ms,p90_ms,max_ms,jitter_ms";
    public const string AvailabilityHeader = "from,to,seconds,outage_seconds,outages,availability";

    public static object?[] Cells(SpeedTestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return
        [
            record.StartedAt, record.EndedAt, record.Server, record.ServerType, record.Result, record.DownloadMbps, record.UploadMbps, record.DownloadBytes,
            record.UploadBytes, record.IdleLatencyMs, record.IdleJitterMs, record.DownloadLatencyMs, record.UploadLatencyMs, record.Reason, record.FailedIn, record.Detail, record.Campaign,
        ];
    }

    public static object?[] Cells(OutageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return [record.StartedAt, record.EndedAt, record.DurationSeconds, record.Cause, record.Ongoing];
    }

    public static object?[] Cells(AlertRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return [record.ReceivedAt, record.Status, record.AlertName, record.Severity, record.Summary, record.Description, record.StartsAt, record.EndsAt, record.Fingerprint];
    }

    public static object?[] Cells(LatencyMinuteRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return [record.Minute, record.Target, record.Role, record.Address, record.Sent, record.Lost, record.LossRatio, record.MinMs, record.MedianMs, record.P90Ms, record.MaxMs, record.JitterMs];
    }

    public static string Availability(AvailabilityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder(AvailabilityHeader).Append("\r\n");
        return AppendRow(text, [record.From, record.To, record.Seconds, record.OutageSeconds, record.Outages, record.Availability]).ToString();
    }

    /// <summary>Appends one row of <paramref name="cells"/>, each escaped, and its CRLF.</summary>
    public static StringBuilder AppendRow(StringBuilder text, object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(cells);
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(Cell(cells[i]));
        }

        return text.Append("\r\n");
    }

    /// <summary>One cell, escaped.</summary>
    public static string Cell(object? value)
    {
        var text = value switch
        {
            null => string.Empty,
            DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            double number => number.ToString("R", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        if (value is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
