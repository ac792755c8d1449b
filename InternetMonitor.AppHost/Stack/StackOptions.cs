using InternetMonitor.AppHost.Integrations.Prometheus;

namespace InternetMonitor.AppHost.Stack;

/// <summary>
/// Bound from <c>Stack</c>: where the stack listens and keeps its state. The probe's own settings are the
/// <c>Monitor</c> section beside it (passed to the probe as they are), the receivers the <c>Alerting</c> section.
/// </summary>
public sealed class StackOptions
{
    public const string Section = "Stack";

    /// <summary>
    /// This site's name among several (the house, the office, a relative's house): the <c>site</c> label of every series
    /// and alert its Prometheus sends on, the probe's <c>site</c> resource attribute in its logs and traces, and what the
    /// dashboards and alerts group by (<see cref="SiteName"/>).
    /// </summary>
    public string Site { get; set; } = SiteName.Default;

    /// <summary>The address every part listens on; 127.0.0.1 keeps the stack to this host, 0.0.0.0 opens it to the network.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Rendered configuration and each part's data; relative paths are from the working directory.</summary>
    public string StateDirectory { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "internet-monitor");

    /// <summary>How long Prometheus keeps samples (its <c>--storage.tsdb.retention.time</c>).</summary>
    public string PrometheusRetention { get; set; } = "90d";

    /// <summary>
    /// The optional parts that run (the published compose project's profiles), comma separated: grafana, loki, cadvisor,
    /// and aspire-dashboard in the compose project. Prometheus scrapes only those switched on here.
    /// </summary>
    public string Profiles { get; set; } = "grafana,loki,cadvisor";

    /// <summary>Where this site's Prometheus sends a copy of its series (off by default): a central store for many sites.</summary>
    public RemoteWriteOptions RemoteWrite { get; set; } = new();

    public StackPorts Ports { get; set; } = new();
}

/// <summary>The old project's ports, and those of the compose project's Aspire dashboard.</summary>
public sealed class StackPorts
{
    public int Probe { get; set; } = 8000;

    public int Prometheus { get; set; } = 9090;

    public int Alertmanager { get; set; } = 9093;

    public int NodeExporter { get; set; } = 9100;

    public int Grafana { get; set; } = 3000;

    public int Loki { get; set; } = 3100;

    public int Cadvisor { get; set; } = 8080;

    /// <summary>The compose project's Aspire dashboard page (optional profile; the AppHost's own dashboard is on 18888).</summary>
    public int AspireDashboard { get; set; } = 18887;

    /// <summary>The Aspire dashboard's OTLP/gRPC and OTLP/HTTP receivers, where the probe sends its traces.</summary>
    public int AspireOtlpGrpc { get; set; } = 18889;

    public int AspireOtlpHttp { get; set; } = 18890;
}
