using Aspire.Hosting;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.NodeExporter;

/// <summary>node-exporter: the host's CPU, memory, disk and network, for the host dashboard.</summary>
public static class NodeExporterBuilderExtensions
{
    /// <summary>Adds node-exporter; in the compose project it reads the host's processes and root file system, as upstream runs it.</summary>
    public static IResourceBuilder<IStackPartResource> AddNodeExporter(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var layout = builder.GetStack().Layout;
        return builder.AddStackPart(name, new StackPart(["prometheus-node-exporter", "node_exporter"], "prometheus-node-exporter", NodeExporterImageTags.Image, NodeExporterImageTags.Tag, "NODE_EXPORTER_IMAGE", port, "/metrics"))
            .WithScrapeJob("node")
            .WithArgs(context => context.Args.Add($"--web.listen-address={layout.Address(port)}"))
            .PublishAsComposeService(service =>
            {
                service.Pid = "host";
                service.Volumes.Add("/:/host:ro,rslave");
                service.Command.Add("--path.rootfs=/host");
            });
    }
}
