using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>Alertmanager: routes Prometheus' alerts to the probe's alert log and to the receivers set under <c>Alerting</c>.</summary>
public static class AlertmanagerBuilderExtensions
{
    /// <summary>Adds Alertmanager, one instance (no gossip port), with its configuration rendered from <c>Alerting</c>.</summary>
    public static IResourceBuilder<IStackPartResource> AddAlertmanager(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var layout = builder.GetStack().Layout;
        var alertmanager = builder.AddStackPart(name, new StackPart(AlertmanagerVersion.ProgramNames, "prometheus-alertmanager", AlertmanagerImageTags.Image, AlertmanagerImageTags.Tag, "ALERTMANAGER_IMAGE", port, "/-/ready"))
            .WithScrapeJob("alertmanager")
            .WithDataVolume("/alertmanager")
            .WithConfig("alertmanager/alertmanager.yml", "alertmanager/templates")
            .WithSecrets("alertmanager/secrets");
        return alertmanager.WithArgs(context =>
        {
            context.Args.Add($"--config.file={layout.Config("alertmanager/alertmanager.yml")}");
            context.Args.Add($"--storage.path={layout.DataDirectory(alertmanager.Resource)}");
            context.Args.Add($"--web.listen-address={layout.Address(port)}");
            context.Args.Add("--cluster.listen-address="); // one instance: no gossip port
        });
    }

    /// <summary>Every notification also goes to <paramref name="probe"/>'s alert log (<c>/api/alerts</c>), which keeps them.</summary>
    public static IResourceBuilder<IStackPartResource> WithAlertLog(this IResourceBuilder<IStackPartResource> builder, IResourceBuilder<IResourceWithEndpoints> probe)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(probe);
        return builder.WithAnnotation(new AlertLogAnnotation(probe.Resource)).WithReferenceRelationship(probe.Resource);
    }
}
