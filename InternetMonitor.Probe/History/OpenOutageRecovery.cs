using Microsoft.Data.Sqlite;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The writer's step at start, before this run's first row: outages an earlier run saw begin but not end (it stopped,
/// or the power went) end where that run's measuring ended, so that none stays "going on" for ever or is counted twice.
/// That end is the last minute of the unbroken stretch of latency minutes from the outage's start (the ping job writes
/// a row every minute, outage or not), not the history's last minute: a run that began with a clock a year behind the
/// history (a Raspberry Pi without a real-time clock, before NTP answered) lies a year before rows of the one before it,
/// and its outage must not last until them (docs/time.md).
/// </summary>
public sealed partial class OpenOutageRecovery(ILogger logger)
{
    private bool _done;

    /// <summary>Closes the outages left open, once per run; returns how many it closed (0 after the first time).</summary>
    public int Run(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_done)
        {
            return 0;
        }

        var open = new List<long>();
        using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT started_at FROM outages WHERE ended_at IS NULL;";
            using var reader = find.ExecuteReader();
            while (reader.Read())
            {
                open.Add(reader.GetInt64(0));
            }
        }

        var closed = 0;
        using (var close = connection.CreateCommand())
        {
            // The stretch: from the minute that holds the start, each minute followed by another within two.
            close.CommandText = """
                UPDATE outages SET ended_at = max(started_at, COALESCE((
                    SELECT min(minute) + 60000 FROM (
                        SELECT minute, lead(minute) OVER (ORDER BY minute) AS next
                        FROM (SELECT DISTINCT minute FROM latency_minutes WHERE minute > $start - 60000))
                    WHERE next IS NULL OR next - minute > 120000), started_at))
                WHERE started_at = $start AND ended_at IS NULL;
                """;
            var start = close.Parameters.Add("$start", SqliteType.Integer);
            foreach (var started in open)
            {
                start.Value = started;
                closed += close.ExecuteNonQuery();
            }
        }

        _done = true;
        if (closed > 0)
        {
            LogClosed(logger, closed);
        }

        return closed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "History: {Count} outage(s) left open by an earlier run closed at its last measured minute")]
    private static partial void LogClosed(ILogger logger, int count);
}
