using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Probe;

/// <summary>The probe, a project of this solution: its port, health, scrape job, settings, and its image for the compose project.</summary>
public static class ProbeBuilderExtensions
{
    /// <summary>The Prometheus job that scrapes the probe: the old project's name, which its dashboards and rules select.</summary>
    public const string ScrapeJob = "internet-monitor";

    /// <summary>
    /// Its HTTP endpoint on <paramref name="port"/> (not proxied: the old port, where Prometheus and phones reach it),
    /// healthy when <c>/health</c> answers 200, scraped as <see cref="ScrapeJob"/>, given every <c>Monitor</c> setting of
    /// the AppHost; in the compose project an image built from its project, unprivileged on a read-only root.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithProbeDefaults(this IResourceBuilder<ProjectResource> probe, int port)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var stack = probe.ApplicationBuilder.GetStack();
        var layout = stack.Layout;
        var configuration = probe.ApplicationBuilder.Configuration;
        return probe
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithScrapeJob(ScrapeJob)
            .WithAnnotation(new ComposeServiceAnnotation("PROBE_IMAGE", ProbeImage.Name, ProbeImage.Tag)
            {
                BuildContext = ProbeImage.Folder,
                DataPath = ProbeImage.DataDirectory,
                HealthPath = "/health",
                HealthCheck = ContainerHealthCheck.Bash,
            })
            .WithEnvironment(context =>
            {
                foreach (var (name, value) in ProbeEnvironment.For(configuration, layout, port))
                {
                    context.EnvironmentVariables[name] = value;
                }

                if (stack.AlertLogToken is { } token)
                {
                    context.EnvironmentVariables[AlertLogToken.ProbeSetting.Replace(":", "__", StringComparison.Ordinal)] = token;
                }
            })
            .PublishAsComposeService(service =>
            {
                // Unprivileged, on a read-only root, with no capability at all: it pings through unprivileged ICMP sockets,
                // which the host's net.ipv4.ping_group_range allows (systemd's default; the probe names the sysctl if not).
                service.User = ProbeImage.User;
                service.Environment["ASPNETCORE_CONTENTROOT"] = ProbeImage.AppDirectory; // its appsettings.json; it runs in its data folder
                service.ReadOnly = true;
                service.Tmpfs.Add("/tmp");
                service.CapDrop.Add("ALL");
                service.SecurityOpt.Add("no-new-privileges:true");
            });
    }

    /// <summary>Its logs also go to <paramref name="loki"/> over OTLP while Loki runs (besides the Aspire dashboard's).</summary>
    public static IResourceBuilder<ProjectResource> WithLogsTo(this IResourceBuilder<ProjectResource> probe, IResourceBuilder<IStackPartResource> loki)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(loki);
        var layout = probe.ApplicationBuilder.GetStack().Layout;
        return probe.WithEnvironment(context =>
        {
            if (layout.IsRunning(loki.Resource))
            {
                context.EnvironmentVariables[ProbeEnvironment.LokiLogsVariable] = new Uri(layout.Url(probe.Resource, loki.Resource), "/otlp/v1/logs").AbsoluteUri;
            }
        });
    }

    /// <summary>Its traces go to the compose project's Aspire dashboard while its profile is on (the AppHost's own dashboard is Aspire's).</summary>
    public static IResourceBuilder<ProjectResource> WithTracesTo(this IResourceBuilder<ProjectResource> probe, IResourceBuilder<IStackPartResource>? dashboard)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (dashboard is null)
        {
            return probe;
        }

        var layout = probe.ApplicationBuilder.GetStack().Layout;
        return probe.WithEnvironment(context =>
        {
            if (layout.IsRunning(dashboard.Resource))
            {
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = new Uri(layout.Url(probe.Resource, dashboard.Resource, "otlp-http"), "/v1/traces").AbsoluteUri;
            }
        });
    }
}
