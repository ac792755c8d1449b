using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Cadvisor;

/// <summary>cAdvisor: every container's CPU, memory and network, for the containers dashboard (not packaged for Debian).</summary>
public static class CadvisorBuilderExtensions
{
    /// <summary>What cAdvisor reads to see every container: upstream's mounts, read-only.</summary>
    private static readonly string[] HostMounts = ["/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro", "/var/lib/docker/:/var/lib/docker:ro", "/dev/disk/:/dev/disk:ro"];

    private const string KernelLog = "/dev/kmsg";

    /// <summary>Adds cAdvisor, optional in the compose project (profile <c>cadvisor</c>), privileged with upstream's mounts there.</summary>
    public static IResourceBuilder<IStackPartResource> AddCadvisor(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var layout = builder.GetStack().Layout;
        var cadvisor = builder.AddStackPart(name, new StackPart(["cadvisor"], string.Empty, CadvisorImageTags.Image, CadvisorImageTags.Tag, "CADVISOR_IMAGE", port, "/healthz"));
        if (cadvisor.Resource is ContainerResource container && layout.Run == StackRun.Containers)
        {
            // What the compose service below says, as docker's flags.
            builder.CreateResourceBuilder(container).WithContainerRuntimeArgs(
                ["--privileged", $"--device={KernelLog}", .. HostMounts.Select(mount => $"--volume={mount}")]);
        }

        return cadvisor
            .WithScrapeJob("cadvisor")
            .WithProfile("cadvisor")
            .WithArgs(context =>
            {
                context.Args.Add($"--listen_ip={layout.ListenHost}");
                context.Args.Add($"--port={port}");
            })
            .PublishAsComposeService(service =>
            {
                service.Privileged = true;
                service.Devices.Add(KernelLog);
                service.Volumes.AddRange(HostMounts);
            });
    }
}
