using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Reads the history for the API: each query on a read-only connection of its own (WAL: the writer is never blocked),
/// rows in a time range, oldest first, at most <c>limit</c>. A database that is not there yet reads as empty; one that
/// cannot be read throws <see cref="HistoryException"/>.
/// </summary>
public sealed class HistoryReader(IOptions<HistoryOptions> options, TimeProvider time)
{
    public bool Enabled => options.Value.Enabled;

    public IReadOnlyList<SpeedTestRecord> SpeedTests(DateTimeOffset from, DateTimeOffset to, int limit) => Query(
        """
        SELECT started_at, ended_at, server, server_type, download_bits_per_second, upload_bits_per_second, download_bytes, upload_bytes,
               idle_latency_ms, idle_jitter_ms, download_latency_ms, upload_latency_ms, reason, failed_in, detail
        FROM speed_tests WHERE started_at >= $from AND started_at < $to ORDER BY started_at LIMIT $limit
        """,
        from, to, limit, reader => new SpeedTestRecord(
            Time(reader.GetInt64(0)), Time(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(12) ? "success" : "failure",
            Mbps(reader, 4), Mbps(reader, 5), reader.GetInt64(6), reader.GetInt64(7),
            Number(reader, 8), Number(reader, 9), Number(reader, 10), Number(reader, 11),
            Text(reader, 12), Text(reader, 13), Text(reader, 14)));

    /// <summary>The outages that overlap the range (an outage that began before it and ended in it included).</summary>
    public IReadOnlyList<OutageRecord> Outages(DateTimeOffset from, DateTimeOffset to, int limit)
    {
        var now = time.GetUtcNow();
        return Query(
            "SELECT started_at, ended_at, cause FROM outages WHERE started_at < $to AND (ended_at IS NULL OR ended_at > $from) ORDER BY started_at LIMIT $limit",
            from, to, limit, reader =>
            {
                var start = Time(reader.GetInt64(0));
                DateTimeOffset? end = reader.IsDBNull(1) ? null : Time(reader.GetInt64(1));
                return new OutageRecord(start, end, Math.Round(((end ?? now) - start).TotalSeconds, 3), reader.GetString(2), end is null);
            });
    }

    public IReadOnlyList<AlertRecord> Alerts(DateTimeOffset from, DateTimeOffset to, int limit) => Query(
        """
        SELECT received_at, status, alert_name, severity, summary, description, starts_at, ends_at, fingerprint, labels
        FROM alerts WHERE received_at >= $from AND received_at < $to ORDER BY received_at, id LIMIT $limit
        """,
        from, to, limit, reader => new AlertRecord(
            Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            Time(reader.GetInt64(6)), reader.IsDBNull(7) ? null : Time(reader.GetInt64(7)), reader.GetString(8),
            JsonSerializer.Deserialize(reader.GetString(9), HistoryJsonContext.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>()));

    public IReadOnlyList<LatencyMinuteRecord> Latency(DateTimeOffset from, DateTimeOffset to, string? target, int limit) => Query(
        """
        SELECT minute, target, role, address, sent, lost, min_ms, median_ms, p90_ms, max_ms FROM latency_minutes
        WHERE minute >= $from AND minute < $to AND ($target IS NULL OR target = $target) ORDER BY minute, target LIMIT $limit
        """,
        from, to, limit, reader => new LatencyMinuteRecord(
            Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5),
            reader.GetInt32(4) == 0 ? 0 : Math.Round((double)reader.GetInt32(5) / reader.GetInt32(4), 6),
            Number(reader, 6), Number(reader, 7), Number(reader, 8), Number(reader, 9)),
        command => command.Parameters.AddWithValue("$target", (object?)target ?? DBNull.Value));

    /// <summary>Whether the history holds <paramref name="alert"/> already (its identity, status and start): a repeat, or a notification sent again.</summary>
    public bool Holds(Alerting.AlertNotification alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Query(
            "SELECT 1 FROM alerts WHERE identity = $identity AND status = $status AND starts_at = $starts LIMIT $limit",
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, _ => true,
            command =>
            {
                command.Parameters.AddWithValue("$identity", alert.Identity);
                command.Parameters.AddWithValue("$status", alert.Status);
                command.Parameters.AddWithValue("$starts", alert.StartsAt.ToUnixTimeMilliseconds());
            }).Count > 0;
    }

    /// <summary>
    /// The share of [<paramref name="from"/>, <paramref name="to"/>) outside any outage, the range cut at now; outages
    /// that overlap each other count once.
    /// </summary>
    public AvailabilityRecord Availability(DateTimeOffset from, DateTimeOffset to)
    {
        var now = time.GetUtcNow();
        var end = to < now ? to : now;
        var seconds = Math.Max(0, (end - from).TotalSeconds);
        var outages = Outages(from, end, int.MaxValue);
        var down = 0.0;
        var covered = from;
        foreach (var outage in outages) // oldest first: each adds only what the ones before have not covered
        {
            var start = outage.StartedAt > covered ? outage.StartedAt : covered;
            var stop = (outage.EndedAt ?? now) < end ? outage.EndedAt ?? now : end;
            if (stop > start)
            {
                down += (stop - start).TotalSeconds;
                covered = stop;
            }
        }

        var availability = seconds == 0 ? 1 : Math.Clamp(1 - (down / seconds), 0, 1);
        return new AvailabilityRecord(from, end, Math.Round(seconds, 3), Math.Round(down, 3), outages.Count, Math.Round(availability, 6));
    }

    private List<T> Query<T>(string sql, DateTimeOffset from, DateTimeOffset to, int limit, Func<SqliteDataReader, T> read, Action<SqliteCommand>? parameters = null)
    {
        var path = Path.GetFullPath(options.Value.Path);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            if (HistorySchema.UserVersion(connection) == 0)
            {
                return []; // created, not yet migrated: nothing kept yet
            }

            using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The statements are this class's constants; values go in as parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
            parameters?.Invoke(command);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        catch (SqliteException exception)
        {
            throw new HistoryException(HistoryWriter.Classify(exception) ?? "other", $"the history database {path} cannot be read: {exception.Message}", exception);
        }
    }

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static double? Number(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);

    private static double? Mbps(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : Math.Round(reader.GetDouble(column) / 1e6, 3);

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"history reader of {options.Value.Path}");
}
