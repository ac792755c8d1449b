using System.Globalization;
using Aspire.Hosting;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Loki;

/// <summary>Loki: keeps the probe's logs, which it takes over OTLP (Grafana's release; Debian's <c>loki</c> package is another program).</summary>
public static class LokiBuilderExtensions
{
    /// <summary>Adds a single-binary Loki with observability/loki/, optional in the compose project (profile <c>loki</c>).</summary>
    public static IResourceBuilder<IStackPartResource> AddLoki(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var layout = builder.GetStack().Layout;
        var loki = builder.AddStackPart(name, new StackPart(["loki"], string.Empty, LokiImageTags.Image, LokiImageTags.Tag, "LOKI_IMAGE", port, "/ready"))
            .WithProfile("loki")
            .WithDataVolume("/loki")
            .WithConfig("loki");
        return loki
            .WithArgs(context =>
            {
                context.Args.Add($"-config.file={layout.Config("loki/loki.yml")}");
                context.Args.Add("-config.expand-env=true");
                context.Args.Add($"-server.http-listen-address={layout.ListenHost}");
                context.Args.Add(string.Create(CultureInfo.InvariantCulture, $"-server.http-listen-port={port}"));
                context.Args.Add($"-server.grpc-listen-address={layout.ListenHost}");
            })
            .WithEnvironment(context => context.EnvironmentVariables["LOKI_PATH_PREFIX"] = layout.DataDirectory(loki.Resource));
    }
}
