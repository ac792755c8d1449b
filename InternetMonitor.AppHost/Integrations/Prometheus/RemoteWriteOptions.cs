namespace InternetMonitor.AppHost.Integrations.Prometheus;

/// <summary>
/// Bound from <c>Stack:RemoteWrite</c>: the central store this site's Prometheus sends a copy of every series to (a
/// Prometheus with its remote-write receiver, VictoriaMetrics, Mimir, Thanos Receive, a hosted service), and how it proves
/// who it is. Off while <see cref="Url"/> is empty. A credential is read when the configuration is rendered, from the file
/// a setting names or from its variable, and written to a file of the rendered configuration that prometheus.yml names:
/// never into prometheus.yml's text.
/// </summary>
public sealed class RemoteWriteOptions
{
    public const string BearerTokenVariable = "INTERNET_MONITOR_REMOTE_WRITE_TOKEN";
    public const string PasswordVariable = "INTERNET_MONITOR_REMOTE_WRITE_PASSWORD";

    /// <summary>The store's write endpoint, such as https://central.example.org:9090/api/v1/write; empty: no remote write.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>A file holding the bearer token the store expects, or <see cref="BearerTokenVariable"/>; empty for none.</summary>
    public string BearerTokenFile { get; set; } = string.Empty;

    /// <summary>The user name for basic authentication; empty for none. Its password: <see cref="PasswordFile"/>.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>A file holding the basic-authentication password, or <see cref="PasswordVariable"/>.</summary>
    public string PasswordFile { get; set; } = string.Empty;

    /// <summary>A file holding the CA certificate (PEM) that signed the store's certificate, for a private CA; empty: the system's.</summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>
    /// At most this many requests in flight at once (Prometheus' <c>max_shards</c>, whose default allows tens). A site sends a
    /// few thousand series every 15 s, a few hundred samples a second: one or two requests keep up, and after an outage a
    /// few catch up without filling a home uplink.
    /// </summary>
    public int MaxShards { get; set; } = 4;

    /// <summary>Samples per request (<c>max_samples_per_send</c>): fewer, larger requests compress better on a slow line.</summary>
    public int MaxSamplesPerSend { get; set; } = 2000;

    /// <summary>Samples each shard holds in memory before it reads more from the WAL (<c>capacity</c>).</summary>
    public int Capacity { get; set; } = 10000;

    public bool Enabled => Url.Length > 0;
}
