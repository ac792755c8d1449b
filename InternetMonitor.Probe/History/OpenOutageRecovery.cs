using Microsoft.Data.Sqlite;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The writer's step at start, before this run's first row: outages an earlier run saw begin but not end (it stopped,
/// or the power went) end where that run's measuring ended, its last minute of echoes, so that none stays "going on"
/// for ever or is counted twice.
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

        using var close = connection.CreateCommand();
        close.CommandText = """
            UPDATE outages SET ended_at = max(started_at, COALESCE((SELECT max(minute) + 60000 FROM latency_minutes), started_at))
            WHERE ended_at IS NULL;
            """;
        var closed = close.ExecuteNonQuery();
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
