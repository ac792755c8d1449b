namespace InternetMonitor.Probe.Probing.SpeedTest.Server;

/// <summary>
/// The probe as a speed-test server for other probes, with the Cloudflare-compatible endpoints
/// (<c>GET /__down?bytes=N</c>, <c>POST /__up</c>). Off by default: it spends the line it measures.
/// </summary>
public sealed class SpeedTestServerOptions
{
    public const string Section = "SpeedTestServer";

    public bool Enabled { get; set; }

    /// <summary>The largest download or upload one request may ask for, in bytes (as large as a speed test's grown sizes).</summary>
    public long MaxBytes { get; set; } = SpeedTestLimits.GrownSizeLimit;

    /// <summary>When set, every request must carry it (<c>Authorization: Bearer ...</c> or <c>?token=...</c>).</summary>
    public string Token { get; set; } = string.Empty;
}
