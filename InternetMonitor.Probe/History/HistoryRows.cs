using System.Globalization;
using System.Text.Json;
using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Probe.History;

/// <summary>
/// One row to keep: what it is (its table, for metrics) and how it is written. Writing twice changes nothing, but for a
/// latency minute, whose second row is a second stretch of time under the same minute's name and is merged.
/// </summary>
public abstract record HistoryRow
{
    public abstract string Table { get; }

    /// <summary>Writes the row with <paramref name="command"/> (its connection and transaction are set).</summary>
    public abstract void Write(SqliteCommand command);

    public static long Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    protected static object Value(double? value) => value is { } number && double.IsFinite(number) ? number : DBNull.Value;

    protected static object Value(string? value) => value is null ? DBNull.Value : value;
}

/// <summary>A speed test, succeeded or failed, with every figure it reported.</summary>
public sealed record SpeedTestRow(SpeedTestResult Result) : HistoryRow
{
    public override string Table => "speed_tests";

    public override void Write(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = """
            INSERT OR IGNORE INTO speed_tests (started_at, ended_at, server, server_type, download_bits_per_second, upload_bits_per_second,
                download_bytes, upload_bytes, idle_latency_ms, idle_jitter_ms, download_latency_ms, upload_latency_ms, reason, failed_in, detail, campaign)
            VALUES ($started, $ended, $server, $type, $down, $up, $downBytes, $upBytes, $idle, $jitter, $downLatency, $upLatency, $reason, $failedIn, $detail, $campaign);
            """;
        var result = Result;
        command.Parameters.AddWithValue("$started", Milliseconds(result.Start));
        command.Parameters.AddWithValue("$ended", Milliseconds(result.End));
        command.Parameters.AddWithValue("$server", result.Server);
        command.Parameters.AddWithValue("$type", result.ServerType.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$down", Value(result.Download?.BytesPerSecond * 8));
        command.Parameters.AddWithValue("$up", Value(result.Upload?.BytesPerSecond * 8));
        command.Parameters.AddWithValue("$downBytes", result.BytesUsed(SpeedTestDirection.Download));
        command.Parameters.AddWithValue("$upBytes", result.BytesUsed(SpeedTestDirection.Upload));
        command.Parameters.AddWithValue("$idle", Value(result.Idle.Median?.TotalMilliseconds));
        command.Parameters.AddWithValue("$jitter", Value(result.Idle.Jitter?.TotalMilliseconds));
        command.Parameters.AddWithValue("$downLatency", Value(result.Download?.Loaded.Median?.TotalMilliseconds));
        command.Parameters.AddWithValue("$upLatency", Value(result.Upload?.Loaded.Median?.TotalMilliseconds));
        command.Parameters.AddWithValue("$reason", Value(result.Reason));
        command.Parameters.AddWithValue("$failedIn", Value(result.FailedIn?.ToString().ToLowerInvariant()));
        command.Parameters.AddWithValue("$detail", Value(result.Detail));
        command.Parameters.AddWithValue("$campaign", Value(result.Campaign));
        command.ExecuteNonQuery();
    }
}

/// <summary>An outage: its start (with no end while it lasts), then its end.</summary>
public sealed record OutageRow(OutageEvent Event) : HistoryRow
{
    public override string Table => "outages";

    public override void Write(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = """
            INSERT INTO outages (started_at, ended_at, cause) VALUES ($started, $ended, $cause)
            ON CONFLICT (started_at) DO UPDATE SET ended_at = COALESCE(excluded.ended_at, outages.ended_at), cause = excluded.cause;
            """;
        command.Parameters.AddWithValue("$started", Milliseconds(Event.Start));
        command.Parameters.AddWithValue("$ended", Event is OutageEnded ended ? Milliseconds(ended.End) : DBNull.Value);
        command.Parameters.AddWithValue("$cause", Event.Cause.ToString().ToLowerInvariant());
        command.ExecuteNonQuery();
    }
}

/// <summary>An alert notification from Alertmanager, kept once (by its identity, status and start) however often it is repeated.</summary>
public sealed record AlertRow(AlertNotification Alert) : HistoryRow
{
    public override string Table => "alerts";

    public override void Write(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = """
            INSERT OR IGNORE INTO alerts (received_at, status, alert_name, severity, summary, description, starts_at, ends_at, fingerprint, labels, identity)
            VALUES ($received, $status, $name, $severity, $summary, $description, $starts, $ends, $fingerprint, $labels, $identity);
            """;
        command.Parameters.AddWithValue("$received", Milliseconds(Alert.ReceivedAt));
        command.Parameters.AddWithValue("$status", Alert.Status);
        command.Parameters.AddWithValue("$name", Alert.AlertName);
        command.Parameters.AddWithValue("$severity", Alert.Severity);
        command.Parameters.AddWithValue("$summary", Alert.Summary);
        command.Parameters.AddWithValue("$description", Alert.Description);
        command.Parameters.AddWithValue("$starts", Milliseconds(Alert.StartsAt));
        command.Parameters.AddWithValue("$ends", Alert.EndsAt is { } ends ? Milliseconds(ends) : DBNull.Value);
        command.Parameters.AddWithValue("$fingerprint", Alert.Fingerprint);
        command.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(Alert.Labels, HistoryJsonContext.Default.IReadOnlyDictionaryStringString));
        command.Parameters.AddWithValue("$identity", Alert.Identity);
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// One target's minute: echoes sent and lost, and the round trips of those answered. A second row for a minute the history
/// holds (the wall clock was set back over it: the same minute's name came twice) is merged into it: sent and lost added,
/// the lower minimum and higher maximum kept, the median and 90th percentile averaged, weighted by the answers of each
/// (an estimate: the round trips themselves are not kept). The writer never writes a committed row again (a failed batch
/// is rolled back whole), so a merge is always a second stretch of time.
/// </summary>
public sealed record LatencyMinuteRow(string Target, string Role, string Address, DateTimeOffset Minute, int Sent, int Lost, double? MinMs, double? MedianMs, double? P90Ms, double? MaxMs, double? JitterMs = null) : HistoryRow
{
    public override string Table => "latency_minutes";

    public override void Write(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = """
            INSERT INTO latency_minutes (target, minute, role, address, sent, lost, min_ms, median_ms, p90_ms, max_ms, jitter_ms)
            VALUES ($target, $minute, $role, $address, $sent, $lost, $min, $median, $p90, $max, $jitter)
            ON CONFLICT (target, minute) DO UPDATE SET
                role = excluded.role,
                address = excluded.address,
                sent = sent + excluded.sent,
                lost = lost + excluded.lost,
                min_ms = min(COALESCE(min_ms, excluded.min_ms), COALESCE(excluded.min_ms, min_ms)),
                max_ms = max(COALESCE(max_ms, excluded.max_ms), COALESCE(excluded.max_ms, max_ms)),
                median_ms = CASE WHEN median_ms IS NULL THEN excluded.median_ms WHEN excluded.median_ms IS NULL THEN median_ms
                    ELSE (median_ms * (sent - lost) + excluded.median_ms * (excluded.sent - excluded.lost)) / ((sent - lost) + (excluded.sent - excluded.lost)) END,
                p90_ms = CASE WHEN p90_ms IS NULL THEN excluded.p90_ms WHEN excluded.p90_ms IS NULL THEN p90_ms
                    ELSE (p90_ms * (sent - lost) + excluded.p90_ms * (excluded.sent - excluded.lost)) / ((sent - lost) + (excluded.sent - excluded.lost)) END,
                jitter_ms = CASE WHEN jitter_ms IS NULL THEN excluded.jitter_ms WHEN excluded.jitter_ms IS NULL THEN jitter_ms
                    ELSE (jitter_ms * (sent - lost) + excluded.jitter_ms * (excluded.sent - excluded.lost)) / ((sent - lost) + (excluded.sent - excluded.lost)) END;
            """;
        command.Parameters.AddWithValue("$target", Target);
        command.Parameters.AddWithValue("$minute", Milliseconds(Minute));
        command.Parameters.AddWithValue("$role", Role);
        command.Parameters.AddWithValue("$address", Address);
        command.Parameters.AddWithValue("$sent", Sent);
        command.Parameters.AddWithValue("$lost", Lost);
        command.Parameters.AddWithValue("$min", Value(MinMs));
        command.Parameters.AddWithValue("$median", Value(MedianMs));
        command.Parameters.AddWithValue("$p90", Value(P90Ms));
        command.Parameters.AddWithValue("$max", Value(MaxMs));
        command.Parameters.AddWithValue("$jitter", Value(JitterMs));
        command.ExecuteNonQuery();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Target} {Minute:u}: {Sent} sent, {Lost} lost");
}

/// <summary>A measurement campaign as it starts: its rules, when, the time zone its days are counted in, and the plan it is judged against.</summary>
public sealed record CampaignStartRow(CampaignRecord Campaign) : HistoryRow
{
    public override string Table => "campaigns";

    public override void Write(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = """
            INSERT OR IGNORE INTO campaigns (id, rules, started_at, time_zone, wired, plan)
            VALUES ($id, $rules, $started, $zone, $wired, $plan);
            """;
        command.Parameters.AddWithValue("$id", Campaign.Id);
        command.Parameters.AddWithValue("$rules", Campaign.Rules);
        command.Parameters.AddWithValue("$started", Milliseconds(Campaign.StartedAt));
        command.Parameters.AddWithValue("$zone", Campaign.TimeZone);
        command.Parameters.AddWithValue("$wired", Campaign.Wired is { } wired ? (wired ? 1 : 0) : DBNull.Value);
        command.Parameters.AddWithValue("$plan", JsonSerializer.Serialize(Campaign.Plan, HistoryJsonContext.Default.CampaignPlan));
        command.ExecuteNonQuery();
    }
}

/// <summary>A measurement campaign's end: when, how (completed, cancelled, expired) and a sentence saying why.</summary>
public sealed record CampaignEndRow(string Id, DateTimeOffset EndedAt, string Outcome, string Detail) : HistoryRow
{
    public override string Table => "campaigns";

    public override void Write(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = "UPDATE campaigns SET ended_at = $ended, outcome = $outcome, detail = $detail WHERE id = $id AND ended_at IS NULL;";
        command.Parameters.AddWithValue("$id", Id);
        command.Parameters.AddWithValue("$ended", Milliseconds(EndedAt));
        command.Parameters.AddWithValue("$outcome", Outcome);
        command.Parameters.AddWithValue("$detail", Detail);
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// One DNS server's minute: queries sent, how many failed (no answer, or an error response), and the median time of those
/// answered. A second row for a minute held (the wall clock set back over it) is added to it, the medians weighted by answers.
/// </summary>
public sealed record DnsMinuteRow(string Server, DateTimeOffset Minute, int Queries, int Failures, double? MedianMs) : HistoryRow
{
    public override string Table => "dns_minutes";

    public override void Write(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = """
            INSERT INTO dns_minutes (server, minute, queries, failures, median_ms) VALUES ($server, $minute, $queries, $failures, $median)
            ON CONFLICT (server, minute) DO UPDATE SET
                queries = queries + excluded.queries,
                failures = failures + excluded.failures,
                median_ms = CASE WHEN median_ms IS NULL THEN excluded.median_ms WHEN excluded.median_ms IS NULL THEN median_ms
                    ELSE (median_ms * (queries - failures) + excluded.median_ms * (excluded.queries - excluded.failures)) / ((queries - failures) + (excluded.queries - excluded.failures)) END;
            """;
        command.Parameters.AddWithValue("$server", Server);
        command.Parameters.AddWithValue("$minute", Milliseconds(Minute));
        command.Parameters.AddWithValue("$queries", Queries);
        command.Parameters.AddWithValue("$failures", Failures);
        command.Parameters.AddWithValue("$median", Value(MedianMs));
        command.ExecuteNonQuery();
    }
}
