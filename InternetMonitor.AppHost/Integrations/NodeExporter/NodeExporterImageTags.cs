namespace InternetMonitor.AppHost.Integrations.NodeExporter;

/// <summary>node-exporter's upstream image, pinned: an upgrade is one line.</summary>
public static class NodeExporterImageTags
{
    public const string Image = "prom/node-exporter";

    public const string Tag = "v1.9.1";
}
