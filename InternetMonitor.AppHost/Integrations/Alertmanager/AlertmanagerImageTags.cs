namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>Alertmanager's upstream image, pinned: an upgrade is one line.</summary>
public static class AlertmanagerImageTags
{
    public const string Image = "prom/alertmanager";

    public const string Tag = "v0.28.1";
}
