using Prometheus;

namespace InternetMonitor.Probe.History;

/// <summary>What the history database did: rows kept by table, failed writes by reason, rows waiting for a write to succeed.</summary>
public sealed class HistoryMetrics
{
    public static readonly string[] Reasons = ["busy", "readonly", "full", "corrupt", "io", "newer_schema", "slow", "symlink", "other"];
    public static readonly string[] Tables = ["speed_tests", "outages", "alerts", "latency_minutes", "dns_minutes", "campaigns"];

    private readonly Counter _written;
    private readonly Counter _failures;
    private readonly Counter _dropped;
    private readonly Gauge _pending;
    private readonly Gauge _healthy;

    public HistoryMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _written = factory.CreateCounter("internet_monitor_history_rows_written_total", "Rows committed to the history database, by table.", ["table"]);
        _failures = factory.CreateCounter(
            "internet_monitor_history_write_failures_total",
            "Attempts to write the history database that failed, by reason (busy, readonly, full, corrupt, io, newer_schema, slow: one that ran past 10 s, symlink: a file of the database is a symbolic link, refused, other); the rows wait and are written again.",
            ["reason"]);
        _dropped = factory.CreateCounter("internet_monitor_history_rows_dropped_total", "Rows given up because too many were waiting for the history database (oldest first).");
        _pending = factory.CreateGauge("internet_monitor_history_pending_rows", "Rows waiting for the history database to accept a write.");
        _healthy = factory.CreateGauge("internet_monitor_history_healthy", "1 while the history database accepts writes (or history is off), 0 while it fails.");
        foreach (var table in Tables)
        {
            _written.WithLabels(table);
        }

        foreach (var reason in Reasons)
        {
            _failures.WithLabels(reason);
        }

        _healthy.Set(1);
    }

    public void Written(string table, int rows) => _written.WithLabels(table).Inc(rows);

    public void Failed(string reason, int pending)
    {
        _failures.WithLabels(reason).Inc();
        _healthy.Set(0);
        _pending.Set(pending);
    }

    public void Waiting(int pending) => _pending.Set(pending);

    public void Succeeded(int pending)
    {
        _healthy.Set(1);
        _pending.Set(pending);
    }

    public void Dropped() => _dropped.Inc();
}
