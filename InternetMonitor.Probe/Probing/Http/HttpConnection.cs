namespace InternetMonitor.Probe.Probing.Http;

/// <summary>A connection opened and timed for one probe, handed to the HTTP handler as it is.</summary>
/// <param name="Stream">Plain or TLS, watched for the response's first byte.</param>
/// <param name="Version">The HTTP version spoken on it: "2" where TLS negotiated h2, else "1.1".</param>
public sealed record HttpConnection(StampedStream Stream, string Version)
{
    public const string Http11 = "1.1";
    public const string Http2 = "2";

    public bool IsHttp2 => Version == Http2;
}
