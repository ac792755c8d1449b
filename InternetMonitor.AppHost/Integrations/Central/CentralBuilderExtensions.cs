using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Central;

/// <summary>
/// The central machine's own parts: the store that every site writes to (Prometheus with its remote-write receiver, or
/// VictoriaMetrics with vmalert evaluating the rules), and the gate in front of it (vmauth), which lets in the writes of
/// the sites it knows, each with its own credential, and nothing else.
/// </summary>
public static class CentralBuilderExtensions
{
    /// <summary>Rendered files of the central role, in observability/: its configuration and its secrets.</summary>
    public const string ConfigFolder = "central";

    public const string SecretsFolder = "central-secrets";

    /// <summary>The store on loopback at Central:Ports:Store, with its data kept, as <c>Central:Store</c> chooses it.</summary>
    public static IResourceBuilder<IStackPartResource> AddCentralStore(this IDistributedApplicationBuilder builder, string name, CentralOptions central)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(central);
        var layout = builder.GetStack().Layout;
        var port = central.Ports.Store;
        var listen = Loopback(port);
        if (central.Store == CentralStore.VictoriaMetrics)
        {
            var victoria = builder.AddStackPart(name, new StackPart(["victoria-metrics"], "victoria-metrics", VictoriaMetricsImageTags.Store, VictoriaMetricsImageTags.Tag, "STORE_IMAGE", port, "/health"))
                .WithDataVolume("/victoria-metrics-data")
                .WithConfig($"{ConfigFolder}/victoriametrics");
            return victoria.WithArgs(context =>
            {
                context.Args.Add($"-storageDataPath={layout.DataDirectory(victoria.Resource)}");
                context.Args.Add($"-retentionPeriod={central.Retention}");
                context.Args.Add($"-httpListenAddr={listen}");
                context.Args.Add($"-promscrape.config={layout.Config($"{ConfigFolder}/victoriametrics/scrape.yml")}");
            });
        }

        var prometheus = builder.AddStackPart(name, new StackPart(["prometheus"], "prometheus", PrometheusImageTags.Image, PrometheusImageTags.Tag, "STORE_IMAGE", port, "/-/ready"))
            .WithDataVolume("/prometheus")
            .WithConfig("prometheus/rules", $"{ConfigFolder}/prometheus", $"{ConfigFolder}/rules");
        return prometheus.WithArgs(context =>
        {
            context.Args.Add($"--config.file={layout.Config($"{ConfigFolder}/prometheus/prometheus.yml")}");
            context.Args.Add($"--storage.tsdb.path={layout.DataDirectory(prometheus.Resource)}");
            context.Args.Add($"--storage.tsdb.retention.time={central.Retention}");
            context.Args.Add($"--web.listen-address={listen}");
            context.Args.Add("--web.enable-remote-write-receiver");
        });
    }

    /// <summary>
    /// vmalert, for the VictoriaMetrics store (which evaluates no rules itself): the same rules as a Prometheus store, read
    /// from <paramref name="store"/>, alerts sent to <paramref name="alertmanager"/>, their state written back to the store.
    /// </summary>
    public static IResourceBuilder<IStackPartResource> AddCentralRules(this IDistributedApplicationBuilder builder, string name, CentralOptions central,
        IResourceBuilder<IStackPartResource> store, IResourceBuilder<IStackPartResource> alertmanager)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(alertmanager);
        var layout = builder.GetStack().Layout;
        var rules = builder.AddStackPart(name, new StackPart(["vmalert"], "victoria-metrics", VictoriaMetricsImageTags.Rules, VictoriaMetricsImageTags.Tag, "RULES_IMAGE", central.Ports.Rules, "/health"))
            .WithConfig("prometheus/rules", $"{ConfigFolder}/rules");
        return rules.WithArgs(context =>
        {
            var storeUrl = layout.Url(rules.Resource, store.Resource).AbsoluteUri.TrimEnd('/');
            context.Args.Add($"-rule={layout.Config("prometheus/rules/alerts.yml")}");
            context.Args.Add($"-rule={layout.Config($"{ConfigFolder}/rules/sites.yml")}");
            context.Args.Add($"-datasource.url={storeUrl}");
            context.Args.Add($"-remoteWrite.url={storeUrl}");
            context.Args.Add($"-remoteRead.url={storeUrl}");
            context.Args.Add($"-notifier.url={layout.Url(rules.Resource, alertmanager.Resource).AbsoluteUri.TrimEnd('/')}");
            context.Args.Add("-evaluationInterval=15s");
            context.Args.Add($"-httpListenAddr={Loopback(central.Ports.Rules)}");
        });
    }

    /// <summary>
    /// The gate (vmauth) on Central:GateAddress at Central:Ports:Gate: each site's credential lets its remote write through
    /// to the store, over HTTPS when Central:TlsCertFile is set; vmauth's own pages are locked with a key
    /// made for this rendering (<see cref="GateConfigRenderer"/>).
    /// </summary>
    public static IResourceBuilder<IStackPartResource> AddCentralGate(this IDistributedApplicationBuilder builder, string name, CentralOptions central, string pageKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(central);
        var layout = builder.GetStack().Layout;
        var port = central.Ports.Gate;
        var tls = central.TlsCertFile.Length > 0;
        var gate = builder.AddStackPart(name, new StackPart(["vmauth"], "victoria-metrics", VictoriaMetricsImageTags.Gate, VictoriaMetricsImageTags.Tag, "GATE_IMAGE", port, "/health"))
            .WithSecrets(SecretsFolder)
            // With HTTPS, the image's wget would need the certificate's name: compose checks the store behind it instead.
            .WithContainerHealthCheck(tls ? ContainerHealthCheck.None : ContainerHealthCheck.Wget);
        return gate.WithArgs(context =>
        {
            context.Args.Add($"-auth.config={layout.Config($"{SecretsFolder}/{GateConfigRenderer.AuthFile}")}");
            context.Args.Add($"-httpListenAddr={StackLayout.HostPort(layout.Run == StackRun.Compose ? "${GATE_ADDRESS:?set GATE_ADDRESS in .env}" : central.GateAddress, port)}");
            if (tls)
            {
                context.Args.Add("-tls");
                context.Args.Add($"-tlsCertFile={layout.Config($"{SecretsFolder}/{GateConfigRenderer.CertificateFile}")}");
                context.Args.Add($"-tlsKeyFile={layout.Config($"{SecretsFolder}/{GateConfigRenderer.KeyFile}")}");
            }

            foreach (var page in new[] { "pprof", "metrics", "flags", "reload" })
            {
                context.Args.Add($"-{page}AuthKey={pageKey}");
            }
        });
    }

    private static string Loopback(int port) => StackLayout.HostPort("127.0.0.1", port);
}
