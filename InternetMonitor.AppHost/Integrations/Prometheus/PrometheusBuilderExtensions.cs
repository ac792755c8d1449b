using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Prometheus;

/// <summary>Prometheus: scrapes every part with a scrape job and evaluates the shipped rules, sending alerts to Alertmanager.</summary>
public static class PrometheusBuilderExtensions
{
    /// <summary>Adds Prometheus with observability/prometheus/ (its targets rendered for this run) and its data kept.</summary>
    public static IResourceBuilder<IStackPartResource> AddPrometheus(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var layout = builder.GetStack().Layout;
        var prometheus = builder.AddStackPart(name, new StackPart(["prometheus"], "prometheus", PrometheusImageTags.Image, PrometheusImageTags.Tag, "PROMETHEUS_IMAGE", port, "/-/ready"))
            .WithScrapeJob("prometheus")
            .WithDataVolume("/prometheus")
            .WithConfig("prometheus")
            .WithSecrets(PrometheusConfigRenderer.SecretsFolder);
        return prometheus.WithArgs(context =>
        {
            context.Args.Add($"--config.file={layout.Config("prometheus/prometheus.yml")}");
            context.Args.Add($"--storage.tsdb.path={layout.DataDirectory(prometheus.Resource)}");
            context.Args.Add($"--web.listen-address={layout.Address(port)}");
        });
    }

    /// <summary>How long Prometheus keeps samples (its <c>--storage.tsdb.retention.time</c>, such as 90d).</summary>
    public static IResourceBuilder<IStackPartResource> WithRetention(this IResourceBuilder<IStackPartResource> builder, string retention) =>
        builder.WithArgs($"--storage.tsdb.retention.time={retention}");
}
