namespace InternetMonitor.Probe.Probing.Http;

/// <summary>Bound from <c>Monitor:Http</c>.</summary>
public sealed class HttpProbeOptions
{
    public const string Section = "Http";

    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan StartJitter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>For the whole probe, from the name lookup to the last byte.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Name (the <c>target</c> label) to target. Empty: <see cref="DefaultTargets"/>.</summary>
    public Dictionary<string, HttpTargetOptions> Targets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The body is read (and discarded) up to this many bytes; the transfer phase ends there.</summary>
    public int MaxBodyBytes { get; set; } = 1 << 20;

    public string UserAgent { get; set; } = "InternetMonitor";

    public static IReadOnlyDictionary<string, string> DefaultTargets { get; } = new Dictionary<string, string>
    {
        ["cloudflare"] = "https://www.cloudflare.com/cdn-cgi/trace",
        ["google"] = "https://www.google.com/generate_204",
    };
}
