namespace InternetMonitor.AppHost.Integrations.Cadvisor;

/// <summary>cAdvisor's upstream image, pinned: an upgrade is one line.</summary>
public static class CadvisorImageTags
{
    public const string Image = "gcr.io/cadvisor/cadvisor";

    public const string Tag = "v0.52.1";
}
