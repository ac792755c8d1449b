namespace InternetMonitor.AppHost.Integrations.Central;

/// <summary>
/// Bound from <c>Central</c>, read by <c>publish --role central</c> and <c>render --role central</c>: the machine outside
/// the house (a VPS, a NAS at the office) that every site's Prometheus writes to. Its store holds every site's series, its
/// Alertmanager tells you when a site falls silent, its Grafana shows them all. Writes come in through a gate (vmauth)
/// that knows each site's credential; the store itself listens on loopback only.
/// </summary>
public sealed class CentralOptions
{
    public const string Section = "Central";

    /// <summary>What keeps the series: Prometheus with its remote-write receiver (default), or VictoriaMetrics single-node.</summary>
    public CentralStore Store { get; set; } = CentralStore.Prometheus;

    /// <summary>How long the store keeps samples (Prometheus' retention time, VictoriaMetrics' retention period).</summary>
    public string Retention { get; set; } = "400d";

    /// <summary>How long a site that sent samples in the last day may send none before <c>SiteSilent</c> fires.</summary>
    public string SiteSilentAfter { get; set; } = "10m";

    /// <summary>The address the gate listens on: any by default, since the sites write to it from elsewhere.</summary>
    public string GateAddress { get; set; } = "0.0.0.0";

    /// <summary>The gate's certificate (PEM, with its chain) for HTTPS; empty: plain HTTP, for a network you trust or a proxy in front.</summary>
    public string TlsCertFile { get; set; } = string.Empty;

    /// <summary>The private key of <see cref="TlsCertFile"/> (PEM).</summary>
    public string TlsKeyFile { get; set; } = string.Empty;

    /// <summary>The sites allowed to write, by name (their <c>Stack:Site</c>), each with its own credential.</summary>
    public Dictionary<string, CentralSiteOptions> Sites { get; set; } = new(StringComparer.Ordinal);

    public CentralPorts Ports { get; set; } = new();
}

/// <summary>The stores <c>Central:Store</c> chooses from.</summary>
public enum CentralStore
{
    /// <summary>Prometheus with <c>--web.enable-remote-write-receiver</c>; it evaluates the rules itself.</summary>
    Prometheus,

    /// <summary>VictoriaMetrics single-node; vmalert evaluates the rules.</summary>
    VictoriaMetrics,
}

/// <summary>
/// One site's credential at the gate: basic authentication with the site's name as the user and the password in
/// <see cref="PasswordFile"/> (the site's <c>Stack:RemoteWrite:Username</c> and <c>PasswordFile</c>), or a bearer token in
/// <see cref="TokenFile"/> (the site's <c>Stack:RemoteWrite:BearerTokenFile</c>). Exactly one.
/// </summary>
public sealed class CentralSiteOptions
{
    public string PasswordFile { get; set; } = string.Empty;

    public string TokenFile { get; set; } = string.Empty;
}

/// <summary>The central machine's ports: the gate's is the one the sites reach; Alertmanager's and Grafana's are Stack:Ports'.</summary>
public sealed class CentralPorts
{
    /// <summary>The gate, where every site's remote write arrives (vmauth's default port).</summary>
    public int Gate { get; set; } = 8427;

    /// <summary>The store, on loopback: Grafana, the rules and the gate reach it there.</summary>
    public int Store { get; set; } = 9090;

    /// <summary>vmalert's page and metrics, with the VictoriaMetrics store.</summary>
    public int Rules { get; set; } = 8880;
}
