namespace InternetMonitor.AppHost.Integrations.Grafana;

/// <summary>Grafana's upstream image, pinned: an upgrade is one line.</summary>
public static class GrafanaImageTags
{
    public const string Image = "grafana/grafana";

    public const string Tag = "12.2.1";
}
