using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using InternetMonitor.Probe.Outages;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Reads the history for the API, a page at a time: each page on a read-only connection of its own (WAL: the writer is
/// never blocked), rows in a time range, oldest first, at most <c>limit</c>, after a <see cref="HistoryCursor"/> (keyset
/// paging: a page deep in a large table costs what the first does). Rows are read as the page is enumerated, so a page is
/// never held in memory whole. A database that is not there yet reads as empty; one that cannot be read throws
/// <see cref="HistoryException"/>, whose message names the file for the log (logged here once per reason, then at debug).
/// The outage going on, when <paramref name="connectivity"/> knows it, lasts what the monotonic clock says rather than the
/// wall clock's now less its start (docs/time.md).
/// </summary>
public sealed partial class HistoryReader(IOptions<HistoryOptions> options, TimeProvider time, ILogger<HistoryReader> logger, IConnectivity? connectivity = null)
{
    public const string SpeedTestTable = "speedtests";
    public const string OutageTable = "outages";
    public const string AlertTable = "alerts";
    public const string LatencyTable = "latency";

    private const string SpeedTestWhere = "FROM speed_tests WHERE started_at >= $low AND started_at < $to AND (started_at > $afterTime OR id > $afterId) ORDER BY started_at, id";
    private const string OutageWhere = "FROM outages WHERE started_at < $to AND (ended_at IS NULL OR ended_at > $from) AND started_at > $afterTime ORDER BY started_at";
    private const string AlertWhere = "FROM alerts WHERE received_at >= $low AND received_at < $to AND (received_at > $afterTime OR id > $afterId) ORDER BY received_at, id";
    private const string LatencyWhere = "FROM latency_minutes WHERE minute >= $low AND minute < $to AND (minute > $afterTime OR target > $afterTarget) AND ($target IS NULL OR target = $target) ORDER BY minute, target";

    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    public bool Enabled => options.Value.Enabled;

    public HistoryPage<SpeedTestRecord> SpeedTests(DateTimeOffset from, DateTimeOffset to, int limit, HistoryCursor? after = null) => Page(
        SpeedTestTable,
        $"""
        SELECT started_at, ended_at, server, server_type, download_bits_per_second, upload_bits_per_second, download_bytes, upload_bytes,
               idle_latency_ms, idle_jitter_ms, download_latency_ms, upload_latency_ms, reason, failed_in, detail, campaign
        {SpeedTestWhere} LIMIT $limit
        """,
        $"SELECT started_at, id {SpeedTestWhere}",
        from, to, limit, after, reader => new SpeedTestRecord(
            Time(reader.GetInt64(0)), Time(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(12) ? "success" : "failure",
            Mbps(reader, 4), Mbps(reader, 5), reader.GetInt64(6), reader.GetInt64(7),
            Number(reader, 8), Number(reader, 9), Number(reader, 10), Number(reader, 11),
            Text(reader, 12), Text(reader, 13), Text(reader, 14), Text(reader, 15)),
        key => new HistoryCursor(SpeedTestTable, key.GetInt64(0), key.GetInt64(1)));

    /// <summary>The outages that overlap the range (an outage that began before it and ended in it included).</summary>
    public HistoryPage<OutageRecord> Outages(DateTimeOffset from, DateTimeOffset to, int limit, HistoryCursor? after = null)
    {
        var now = time.GetUtcNow();
        var ongoing = connectivity?.CurrentOutage;
        return Page(
            OutageTable,
            $"SELECT started_at, ended_at, cause {OutageWhere} LIMIT $limit",
            $"SELECT started_at {OutageWhere}",
            from, to, limit, after, reader =>
            {
                var start = Time(reader.GetInt64(0));
                DateTimeOffset? end = reader.IsDBNull(1) ? null : Time(reader.GetInt64(1));
                var lasted = end is { } ended ? ended - start : SoFar(start, now, ongoing);
                return new OutageRecord(start, end, Math.Round(Math.Max(0, lasted.TotalSeconds), 3), reader.GetString(2), end is null);
            },
            key => new HistoryCursor(OutageTable, key.GetInt64(0)));
    }

    /// <summary>
    /// How long an outage without an end has lasted: the detector's monotonic count when it is the one going on, else the
    /// wall clock's now less its start (never below zero: a clock set back since).
    /// </summary>
    private static TimeSpan SoFar(DateTimeOffset start, DateTimeOffset now, OngoingOutage? ongoing) =>
        ongoing is { } live && live.Start.ToUnixTimeMilliseconds() == start.ToUnixTimeMilliseconds()
            ? live.Lasted
            : now > start ? now - start : TimeSpan.Zero;

    public HistoryPage<AlertRecord> Alerts(DateTimeOffset from, DateTimeOffset to, int limit, HistoryCursor? after = null) => Page(
        AlertTable,
        $"""
        SELECT received_at, status, alert_name, severity, summary, description, starts_at, ends_at, fingerprint, labels
        {AlertWhere} LIMIT $limit
        """,
        $"SELECT received_at, id {AlertWhere}",
        from, to, limit, after, reader => new AlertRecord(
            Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            Time(reader.GetInt64(6)), reader.IsDBNull(7) ? null : Time(reader.GetInt64(7)), reader.GetString(8),
            JsonSerializer.Deserialize(reader.GetString(9), HistoryJsonContext.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>()),
        key => new HistoryCursor(AlertTable, key.GetInt64(0), key.GetInt64(1)));

    public HistoryPage<LatencyMinuteRecord> Latency(DateTimeOffset from, DateTimeOffset to, string? target, int limit, HistoryCursor? after = null) => Page(
        LatencyTable,
        $"SELECT minute, target, role, address, sent, lost, min_ms, median_ms, p90_ms, max_ms, jitter_ms {LatencyWhere} LIMIT $limit",
        $"SELECT minute, target {LatencyWhere}",
        from, to, limit, after, reader => new LatencyMinuteRecord(
            Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5),
            reader.GetInt32(4) == 0 ? 0 : Math.Round((double)reader.GetInt32(5) / reader.GetInt32(4), 6),
            Number(reader, 6), Number(reader, 7), Number(reader, 8), Number(reader, 9), Number(reader, 10)),
        key => new HistoryCursor(LatencyTable, key.GetInt64(0), Target: key.GetString(1)),
        command => command.Parameters.AddWithValue("$target", (object?)target ?? DBNull.Value));

    /// <summary>The DNS minutes of the range, oldest first (a few thousand a day: read whole, for the report).</summary>
    public IReadOnlyList<DnsMinuteRecord> DnsMinutes(DateTimeOffset from, DateTimeOffset to) => ReadAll(
        "SELECT minute, server, queries, failures, median_ms FROM dns_minutes WHERE minute >= $from AND minute < $to ORDER BY minute, server",
        command =>
        {
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        },
        reader => new DnsMinuteRecord(Time(reader.GetInt64(0)), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), Number(reader, 4)));

    /// <summary>Every campaign the history holds, newest first (a handful: one runs at a time, each for days).</summary>
    public IReadOnlyList<CampaignRecord> Campaigns() => ReadAll(
        "SELECT id, rules, started_at, time_zone, wired, plan, ended_at, outcome, detail FROM campaigns ORDER BY started_at DESC, id DESC",
        _ => { },
        reader => new CampaignRecord(
            reader.GetString(0), reader.GetString(1), Time(reader.GetInt64(2)), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4) != 0,
            JsonSerializer.Deserialize(reader.GetString(5), HistoryJsonContext.Default.CampaignPlan) ?? new CampaignPlan(0, 0, 0, 0, 0, 0),
            reader.IsDBNull(6) ? null : Time(reader.GetInt64(6)), Text(reader, 7), Text(reader, 8)));

    /// <summary>The campaign <paramref name="id"/>, or null.</summary>
    public CampaignRecord? Campaign(string id) => Campaigns().FirstOrDefault(campaign => campaign.Id == id);

    /// <summary>
    /// For each of <paramref name="alerts"/>, whether the history holds it already (its identity, status and start): a
    /// repeat, or a notification sent again. One connection for them all.
    /// </summary>
    public bool[] Holds(IReadOnlyList<Alerting.AlertNotification> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var held = new bool[alerts.Count];
        var path = Path.GetFullPath(options.Value.Path);
        if (alerts.Count == 0)
        {
            return held;
        }

        try
        {
            using var connection = OpenForReading(path);
            if (connection is null)
            {
                return held;
            }

            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM alerts WHERE identity = $identity AND status = $status AND starts_at = $starts LIMIT 1";
            var identity = command.Parameters.Add("$identity", SqliteType.Text);
            var status = command.Parameters.Add("$status", SqliteType.Text);
            var starts = command.Parameters.Add("$starts", SqliteType.Integer);
            for (var i = 0; i < alerts.Count; i++)
            {
                (identity.Value, status.Value, starts.Value) = (alerts[i].Identity, alerts[i].Status, alerts[i].StartsAt.ToUnixTimeMilliseconds());
                held[i] = command.ExecuteScalar() is not null;
            }

            return held;
        }
        catch (SqliteException exception)
        {
            throw Fail(path, exception);
        }
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
        using var outages = Outages(from, end, int.MaxValue);
        var (down, count) = DownSeconds(from, end, outages);

        var availability = seconds == 0 ? 1 : Math.Clamp(1 - (down / seconds), 0, 1);
        return new AvailabilityRecord(from, end, Math.Round(seconds, 3), Math.Round(down, 3), count, Math.Round(availability, 6));
    }

    /// <summary>
    /// The seconds of [<paramref name="from"/>, <paramref name="end"/>) inside <paramref name="oldestFirst"/> (outages in
    /// order of start), those that overlap counted once, and how many outages there were; what availability and the
    /// provider report count alike.
    /// </summary>
    public static (double DownSeconds, int Outages) DownSeconds(DateTimeOffset from, DateTimeOffset end, IEnumerable<OutageRecord> oldestFirst)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        var (down, count) = (0.0, 0);
        var covered = from;
        foreach (var outage in oldestFirst) // each adds only what the ones before have not covered
        {
            count++;
            var start = outage.StartedAt > covered ? outage.StartedAt : covered;
            var until = outage.StartedAt + TimeSpan.FromSeconds(outage.DurationSeconds); // its end, or its length so far
            var stop = until < end ? until : end;
            if (stop > start)
            {
                down += (stop - start).TotalSeconds;
                covered = stop;
            }
        }

        return (down, count);
    }

    /// <summary>Every row <paramref name="sql"/> selects, read whole on a connection of its own: for tables a report reads in one go.</summary>
    private List<T> ReadAll<T>(string sql, Action<SqliteCommand> parameters, Func<SqliteDataReader, T> read)
    {
        var path = Path.GetFullPath(options.Value.Path);
        try
        {
            using var connection = OpenForReading(path);
            if (connection is null)
            {
                return [];
            }

            using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The statements are this class's constants; values go in as parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            parameters(command);
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
            throw Fail(path, exception);
        }
    }

    /// <summary>
    /// Opens a page: <paramref name="keys"/> (the rows' sort keys, in order) finds the last row of the page and whether a
    /// row follows it, then <paramref name="rows"/> is executed, both in one read transaction.
    /// </summary>
    private HistoryPage<T> Page<T>(
        string table, string rows, string keys, DateTimeOffset from, DateTimeOffset to, int limit, HistoryCursor? after,
        Func<SqliteDataReader, T> read, Func<SqliteDataReader, HistoryCursor> cursor, Action<SqliteCommand>? parameters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (after is not null && after.Table != table)
        {
            throw new ArgumentException($"a cursor of {after.Table} cannot page {table}", nameof(after));
        }

        var path = Path.GetFullPath(options.Value.Path);
        SqliteConnection? connection = null;
        SqliteCommand? command = null;
        try
        {
            connection = OpenForReading(path);
            if (connection is null)
            {
                return new();
            }

            using (var begin = connection.CreateCommand())
            {
                begin.CommandText = "BEGIN"; // one snapshot for the keys and the rows (the transaction ends when the connection closes)
                begin.ExecuteNonQuery();
            }

            HistoryCursor? next = null;
            using (var peek = limit == int.MaxValue ? null : Command(connection, keys + " LIMIT 2 OFFSET $offset", from, to, after, parameters))
            {
                if (peek is not null)
                {
                    peek.Parameters.AddWithValue("$offset", (long)limit - 1);
                    using var reader = peek.ExecuteReader();
                    if (reader.Read())
                    {
                        var last = cursor(reader);
                        next = reader.Read() ? last : null; // a row follows the page's last: there is a next page
                    }
                }
            }

            command = Command(connection, rows, from, to, after, parameters);
            command.Parameters.AddWithValue("$limit", limit);
            var page = new HistoryPage<T>(connection, command, command.ExecuteReader(), read, next, exception => Fail(path, exception));
            (connection, command) = (null, null); // the page's now
            return page;
        }
        catch (SqliteException exception)
        {
            throw Fail(path, exception);
        }
        finally
        {
            command?.Dispose();
            connection?.Dispose();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, DateTimeOffset from, DateTimeOffset to, HistoryCursor? after, Action<SqliteCommand>? parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The statements are this class's constants; values go in as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100

        // After the cursor's key (time, tie-breaker), or after everything. $low is the tighter of the range's start and the
        // cursor's time, so that the index range starts at the cursor rather than at the range's start.
        var start = from.ToUnixTimeMilliseconds();
        command.Parameters.AddWithValue("$from", start);
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$low", after is null ? start : Math.Max(start, after.Time));
        command.Parameters.AddWithValue("$afterTime", after?.Time ?? long.MinValue);
        command.Parameters.AddWithValue("$afterId", after?.Id ?? long.MaxValue);
        command.Parameters.AddWithValue("$afterTarget", after?.Target ?? string.Empty);
        parameters?.Invoke(command);
        return command;
    }

    /// <summary>
    /// The database at <paramref name="path"/> opened read-only for one read (WAL: the writer is never blocked), or null
    /// while it holds nothing yet: no file, or one created and not yet migrated. A linked file is refused.
    /// </summary>
    private SqliteConnection? OpenForReading(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        RefuseLinks(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            if (HistorySchema.UserVersion(connection) > 0)
            {
                return connection;
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        connection.Dispose();
        return null;
    }

    /// <summary>A database or a file beside it that is a symbolic link is not read (the writer refuses it too): nothing outside the data folder is served.</summary>
    private void RefuseLinks(string path)
    {
        if (Storage.DataFiles.LinkedDatabaseFile(path) is { } refusal)
        {
            var failure = new HistoryException("symlink", refusal);
            if (_reported.TryAdd(failure.Reason, true))
            {
                Unreadable(failure.Message);
            }

            throw failure;
        }
    }

    private HistoryException Fail(string path, SqliteException exception)
    {
        var reason = HistoryFailure.Classify(exception) ?? "other";
        var failure = new HistoryException(reason, $"the history database {path} cannot be read: {exception.Message}", exception);
        if (_reported.TryAdd(reason, true))
        {
            Unreadable(failure.Message);
        }
        else
        {
            UnreadableAgain(failure.Message);
        }

        return failure;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failure} (said once per reason; again at debug)")]
    private partial void Unreadable(string failure);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Failure}")]
    private partial void UnreadableAgain(string failure);

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static double? Number(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);

    private static double? Mbps(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : Math.Round(reader.GetDouble(column) / 1e6, 3);

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"history reader of {options.Value.Path}");
}
