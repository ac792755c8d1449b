namespace InternetMonitor.Probe.Probing.Http;

/// <summary>The phases of one request, in order; the <c>phase</c> label is the lower-case name.</summary>
public enum HttpPhase
{
    /// <summary>Name lookup (zero for an IP literal).</summary>
    Dns,

    /// <summary>TCP handshake.</summary>
    Connect,

    /// <summary>TLS handshake (https only).</summary>
    Tls,

    /// <summary>From the request's first byte written to the response's first byte read: the server's think time plus one round trip.</summary>
    Processing,

    /// <summary>From the response's first byte to the read that brought the body's last byte (up to Monitor:Http:MaxBodyBytes).</summary>
    Transfer,
}
