namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The descriptor limit shared out: a reserve for measuring, then connections for loopback clients, then for the
/// others. Pure arithmetic, so that the start's validation and the web server read the same figures.
/// </summary>
public sealed record ConnectionBudget(long DescriptorLimit, int Reserve, int Remote, int Loopback)
{
    /// <summary>
    /// Descriptors kept beyond those open at start: the speed test's streams (up to 16) and its latency probes, DNS and
    /// HTTP probes, SQLite's database, journal and WAL per connection, assemblies loaded later, a thread's start-up.
    /// </summary>
    public const int MeasuringMargin = 256;

    /// <summary>The most clients from other hosts by default: scrapers, status pages and other probes' speed tests, not a crowd.</summary>
    public const int DefaultMaxConnections = 1000;

    /// <summary>Connections accepted and being refused at once (each holds its descriptor until it is closed).</summary>
    public const int RefusalSlack = 32;

    /// <summary>The web server's own limit, a backstop behind the gate: every connection it may hold, those being refused too.</summary>
    public int ServerLimit => Remote + Loopback + RefusalSlack;

    /// <summary>The reserve the settings give: theirs, or the descriptors open at start plus <see cref="MeasuringMargin"/>.</summary>
    public static int ReserveFor(ConnectionLimitsOptions options, int openAtStart)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.DescriptorReserve > 0 ? options.DescriptorReserve : openAtStart + MeasuringMargin;
    }

    /// <summary>Connections from other hosts that the limit leaves after the reserve, loopback's share and the refusal slack.</summary>
    public static int Available(long descriptorLimit, int reserve, int loopback) =>
        (int)Math.Clamp(descriptorLimit - reserve - loopback - RefusalSlack, 0, int.MaxValue);

    public static ConnectionBudget From(long descriptorLimit, int openAtStart, ConnectionLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reserve = ReserveFor(options, openAtStart);
        var available = Available(descriptorLimit, reserve, options.MaxLoopbackConnections);
        var remote = options.MaxConnections > 0 ? options.MaxConnections : Math.Min(available, DefaultMaxConnections);
        return new ConnectionBudget(descriptorLimit, reserve, remote, options.MaxLoopbackConnections);
    }
}
