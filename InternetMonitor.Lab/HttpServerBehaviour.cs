using System.Security.Cryptography.X509Certificates;

namespace InternetMonitor.Lab;

public enum HttpFault
{
    None,

    /// <summary>Half the body, then a TCP reset (linger 0).</summary>
    ResetMidBody,

    /// <summary>Half of the announced Content-Length, then a clean close.</summary>
    ShortBody,

    /// <summary>Not an HTTP response at all.</summary>
    Garbage,
}

/// <summary>What the <see cref="LabHttpServer"/> does with each connection.</summary>
public sealed record HttpServerBehaviour
{
    /// <summary>Serve https with this certificate; null for plain http.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Wait this long after accepting before answering the TLS handshake.</summary>
    public TimeSpan TlsDelay { get; init; }

    /// <summary>Wait this long after the request before the response headers.</summary>
    public TimeSpan ProcessingDelay { get; init; }

    public int Status { get; init; } = 200;

    public int BodyBytes { get; init; } = 1000;

    /// <summary>The body goes out in this many pieces, <see cref="ChunkDelay"/> apart.</summary>
    public int Pieces { get; init; } = 1;

    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Send the body with chunked transfer encoding instead of Content-Length.</summary>
    public bool Chunked { get; init; }

    public HttpFault Fault { get; init; }
}
