namespace InternetMonitor.Probe.Hosting;

/// <summary>Bound from <c>Monitor:Server</c>: how many clients the web server holds at once, and for how long an idle one.</summary>
public sealed class ConnectionLimitsOptions
{
    public const string Section = "Server";

    /// <summary>Connections from other hosts held at once; 0 derives it from the descriptor limit (<see cref="ConnectionBudget"/>).</summary>
    public int MaxConnections { get; set; }

    /// <summary>Connections from this host (127.0.0.0/8, ::1) held at once, apart from the others so that a flood never starves them.</summary>
    public int MaxLoopbackConnections { get; set; } = 64;

    /// <summary>Descriptors kept for measuring; 0 derives it: those open at start plus <see cref="ConnectionBudget.MeasuringMargin"/>.</summary>
    public int DescriptorReserve { get; set; }

    /// <summary>The time a client has to send a request's headers (Kestrel: 30 s).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The time a connection may wait for its first or next request (Kestrel: 130 s): longer than Prometheus's
    /// 15 s scrape interval, so that scrapes keep their connection.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
