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

    /// <summary>From the request to the first byte of the response: the server's think time plus one round trip.</summary>
    Processing,

    /// <summary>From the response headers to the last byte read.</summary>
    Transfer,
}
