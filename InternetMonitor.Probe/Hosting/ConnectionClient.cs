namespace InternetMonitor.Probe.Hosting;

/// <summary>Where a connection comes from, as the gate counts it (the <c>client</c> label).</summary>
public enum ConnectionClient
{
    /// <summary>Another host.</summary>
    Remote,

    /// <summary>This host: 127.0.0.0/8, ::1, or a Unix socket.</summary>
    Loopback,
}
