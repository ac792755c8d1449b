namespace InternetMonitor.AppHost.Integrations.Loki;

/// <summary>Loki's upstream image, pinned: 3.5.7 is the last release whose image holds wget, for its health check.</summary>
public static class LokiImageTags
{
    public const string Image = "grafana/loki";

    public const string Tag = "3.5.7";
}
