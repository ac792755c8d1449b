namespace InternetMonitor.AppHost.Integrations.Prometheus;

/// <summary>Prometheus' upstream image, pinned: an upgrade is one line.</summary>
public static class PrometheusImageTags
{
    public const string Image = "prom/prometheus";

    public const string Tag = "v3.5.0";
}
