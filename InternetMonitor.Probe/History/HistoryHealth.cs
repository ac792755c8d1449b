namespace InternetMonitor.Probe.History;

/// <summary>
/// Whether the history database takes writes, as its writer finds out: a failure is counted each time, logged once per
/// reason, and holds the callers' acknowledgements back (<see cref="HistoryQueue.Hold"/>); a commit after it is logged
/// once. Not thread-safe: the writer calls it under its gate.
/// </summary>
internal sealed partial class HistoryHealth(string path, HistoryMetrics metrics, HistoryQueue queue, ILogger logger)
{
    public HistoryStatus Status { get; private set; } = HistoryStatus.Ok;

    public bool Healthy => Status.Healthy;

    /// <summary>The database fails for <paramref name="reason"/> with <paramref name="pending"/> rows waiting.</summary>
    public void Failed(string reason, string message, int pending)
    {
        metrics.Failed(reason, pending);
        if (Status.Reason != reason)
        {
            LogFailed(logger, path, reason, message, pending);
        }

        Status = new HistoryStatus(false, reason, message, pending);
        queue.Hold(reason);
    }

    /// <summary>The database takes writes (again).</summary>
    public void Succeeded(int pending)
    {
        if (!Status.Healthy)
        {
            LogRecovered(logger, path);
        }

        Status = HistoryStatus.Ok;
        queue.Release();
        metrics.Succeeded(pending);
    }

    /// <summary>The writer stopped with <paramref name="pending"/> rows not written.</summary>
    public void Stopped(int pending)
    {
        if (pending > 0)
        {
            LogLeftBehind(logger, path, pending, Status.Reason ?? "stopping");
        }

        queue.Hold("stopping");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "History database {Path} cannot be written ({Reason}): {Message}; measuring goes on, {Pending} rows wait to be written")]
    private static partial void LogFailed(ILogger logger, string path, string reason, string message, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "History database {Path} is written again")]
    private static partial void LogRecovered(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "History database {Path}: {Count} rows could not be written before stopping ({Reason})")]
    private static partial void LogLeftBehind(ILogger logger, string path, int count, string reason);
}

/// <summary>Whether the history database accepts writes, and if not, why (its reason label and a sentence) and how many rows wait.</summary>
public sealed record HistoryStatus(bool Healthy, string? Reason, string? Message, int Pending)
{
    public static HistoryStatus Ok { get; } = new(true, null, null, 0);
}
