namespace InternetMonitor.Probe.History;

/// <summary>
/// Bound from <c>Monitor:History</c>: the probe's own record of what it measured, kept in SQLite beyond Prometheus'
/// retention (speed tests, outages, alerts received, one-minute latency and loss per target).
/// </summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    public bool Enabled { get; set; } = true;

    /// <summary>The database file; a relative path is in the data folder (<c>Monitor:DataDirectory</c>).</summary>
    public string Path { get; set; } = "history.db";

    /// <summary>How long the one-minute latency and loss roll-ups are kept; speed tests, outages and alerts are kept for good.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// How often the complete one-minute roll-ups are written, together in one commit; 0 writes each as soon as it is
    /// complete. Every commit rewrites whole database pages, so fewer commits wear an SD card less (about 40 kB a commit
    /// at three targets: 10 minutes keeps the probe near 6 MB a day, docs/benchmarks.md); a power cut loses the roll-ups
    /// not yet written (a stop writes them all), and the history API shows a minute once it is written.
    /// </summary>
    public TimeSpan LatencyWriteEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many history API reads run at once; one more is answered 429 with Retry-After. Two keep a Raspberry Pi's
    /// two slow cores and its SD card free for measuring, and let a page and an export run side by side.
    /// </summary>
    public int MaxConcurrentReads { get; set; } = 2;
}
