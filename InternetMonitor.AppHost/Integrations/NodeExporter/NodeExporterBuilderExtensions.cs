using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.NodeExporter;

/// <summary>node-exporter: the host's CPU, memory, disk and network, for the host dashboard.</summary>
public static class NodeExporterBuilderExtensions
{
    /// <summary>The host's root file system, where node-exporter reads it (upstream's mount).</summary>
    private const string HostRoot = "/:/host:ro,rslave";

    private const string RootFsFlag = "--path.rootfs=/host";

    /// <summary>
    /// Adds node-exporter; in a container (the compose project, or container mode) it reads the host's processes and
    /// root file system, as upstream runs it.
    /// </summary>
    public static IResourceBuilder<IStackPartResource> AddNodeExporter(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var layout = builder.GetStack().Layout;
        var nodeExporter = builder.AddStackPart(name, new StackPart(["prometheus-node-exporter", "node_exporter"], "prometheus-node-exporter", NodeExporterImageTags.Image, NodeExporterImageTags.Tag, "NODE_EXPORTER_IMAGE", port, "/metrics"));
        if (nodeExporter.Resource is ContainerResource container && layout.Run == StackRun.Containers)
        {
            // What the compose service below says, as docker's flags (DCP keeps it on its own network, not the host's).
            nodeExporter.WithArgs(RootFsFlag);
            builder.CreateResourceBuilder(container).WithContainerRuntimeArgs("--pid=host", $"--volume={HostRoot}");
        }

        return nodeExporter
            .WithScrapeJob("node")
            .WithArgs(context => context.Args.Add($"--web.listen-address={layout.Address(port)}"))
            .PublishAsComposeService(service =>
            {
                service.Pid = "host";
                service.Volumes.Add(HostRoot);
                service.Command.Add(RootFsFlag);
            });
    }
}
