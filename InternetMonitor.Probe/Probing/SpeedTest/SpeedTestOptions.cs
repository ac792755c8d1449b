using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>Bound from <c>Monitor:SpeedTest</c>: the scheduled job, the engine's limits and the server it measures against.</summary>
public sealed class SpeedTestOptions
{
    public const string Section = "SpeedTest";

    public const string DefaultServer = "https://speed.cloudflare.com/";

    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan StartJitter { get; set; } = TimeSpan.FromMinutes(5);

    public SpeedTestServerType ServerType { get; set; } = SpeedTestServerType.Cloudflare;

    /// <summary>The base URL (Cloudflare, LibreSpeed) or the download URL (Url).</summary>
    public string Server { get; set; } = DefaultServer;

    /// <summary>Url servers only: where uploads are POSTed; empty measures the download only.</summary>
    public string UploadUrl { get; set; } = string.Empty;

    /// <summary>The <c>server</c> label; empty: the server's host name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Sent as <c>Authorization: Bearer</c> (a probe serving speed tests with a token).</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>
    /// The token <c>POST /api/speedtests/run</c> asks of a client that is not on this host (without one, only clients on
    /// this host may start a test).
    /// </summary>
    public string RunToken { get; set; } = string.Empty;

    /// <summary>Parallel streams; 0 chooses them automatically (see <see cref="SpeedTestLimits"/>).</summary>
    public int Streams { get; set; }

    public int MaxStreams { get; set; } = 8;

    /// <summary>
    /// The hard limit of body bytes one run may move, both directions together (half each); what a run uses grows
    /// with the line's speed below it (docs/measurements.md: about 2.9 GB at 2.5 Gbit/s, so the default leaves room for that).
    /// </summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    public const long DefaultMaxBytes = 3_000_000_000;

    /// <summary>Request sizes in bytes, smallest first; empty: <see cref="DefaultRequestSizes"/>.</summary>
    public List<long> RequestSizes { get; set; } = [];

    public int RequestsPerSize { get; set; } = 3;

    public TimeSpan RequestDuration { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DirectionTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int IdleLatencySamples { get; set; } = 20;

    public TimeSpan LoadedLatencyInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public DataBudgetOptions Budget { get; set; } = new();

    public static IReadOnlyList<long> DefaultRequestSizes { get; } = [100_000, 1_000_000, 10_000_000, 25_000_000, 100_000_000];

    public SpeedTestLimits Limits() => new(
        RequestSizes.Count > 0 ? RequestSizes : DefaultRequestSizes,
        RequestsPerSize,
        Streams,
        MaxStreams,
        MaxBytes,
        RequestDuration,
        DirectionTimeout,
        StallTimeout,
        IdleLatencySamples,
        LoadedLatencyInterval);

    /// <summary>The adapter for the configured server (the options are valid: the validator ran at start).</summary>
    public ISpeedTestServer CreateServer()
    {
        var uri = new Uri(Server);
        var name = Name.Length > 0 ? Name : uri.Host;
        return ServerType switch
        {
            SpeedTestServerType.LibreSpeed => new LibreSpeedServer(name, uri, Token),
            SpeedTestServerType.Url => new UrlServer(name, uri, UploadUrl.Length > 0 ? new Uri(UploadUrl) : null, Token),
            _ => new CloudflareServer(name, uri, Token),
        };
    }
}
