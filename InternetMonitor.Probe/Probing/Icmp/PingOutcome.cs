namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>What became of one echo request. Everything but <see cref="Reply"/> is a lost packet.</summary>
public enum PingOutcome
{
    Reply,

    /// <summary>No reply within the timeout.</summary>
    Timeout,

    /// <summary>A router or the host answered with destination unreachable or time exceeded.</summary>
    Unreachable,

    /// <summary>The kernel had no route to send it (network or host unreachable at send).</summary>
    NoRoute,

    /// <summary>The kernel refused to send it (a firewall rule, a broadcast address).</summary>
    PermissionDenied,

    /// <summary>Any other send failure.</summary>
    SendError,
}
