namespace InternetMonitor.Probe.History;

/// <summary>The history database cannot be used as it is; <see cref="Reason"/> is the metric's label (busy, readonly, full, corrupt, io, newer_schema, symlink, other).</summary>
public sealed class HistoryException : Exception
{
    public HistoryException(string reason, string message, Exception? inner = null)
        : base(message, inner) => Reason = reason;

    public HistoryException()
        : this("other", "the history database failed")
    {
    }

    public HistoryException(string message)
        : this("other", message)
    {
    }

    public HistoryException(string message, Exception inner)
        : this("other", message, inner)
    {
    }

    public string Reason { get; }
}
