using InternetMonitor.AppHost;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Rendering;

// `render --output DIR` writes the configuration alone, for a stack run by hand or by a service manager.
if (args is ["render", ..])
{
    return await AppHostCommand.RunAsync(args, Console.Out, Console.Error);
}

var (builder, errors) = StackBuilder.Create(args);
if (builder is null)
{
    errors.ToList().ForEach(problem => Console.Error.WriteLine($"Invalid configuration: {problem}"));
    return StackApp.ErrorExitCode;
}

var ports = builder.Stack.Ports;

// The stack, top to bottom: what each part is, where it listens, what it reads and what it waits for.
var probe = builder.AddProject("probe", StackBuilder.ProbeAssembly)
    .WithHttpEndpoint(ports.Probe)
    .WithHttpHealthCheck("/health")
    .WithScrapeJob(StackRendering.ProbeJob)
    .WithEnvironment(context => StackEnvironment.Probe(builder.Configuration, context, ports.Probe))
    .WithSettingsCheck(_ => [StackBuilder.ProbeAssembly, "check-config"]);

var nodeExporter = builder.AddExecutable("node-exporter", "prometheus-node-exporter", "node_exporter")
    .WithPackage("prometheus-node-exporter")
    .WithHttpEndpoint(ports.NodeExporter)
    .WithHttpHealthCheck("/metrics")
    .WithScrapeJob("node")
    .WithArgs(context => [$"--web.listen-address={context.Address(ports.NodeExporter)}"]);

var alertmanager = builder.AddExecutable("alertmanager", AlertmanagerVersion.ProgramNames) // prometheus-alertmanager, alertmanager
    .WithPackage("prometheus-alertmanager")
    .WithHttpEndpoint(ports.Alertmanager)
    .WithHttpHealthCheck("/-/ready")
    .WithScrapeJob("alertmanager")
    .WithReference(probe)
    .WithArgs(context =>
    [
        $"--config.file={context.Config("alertmanager/alertmanager.yml")}",
        $"--storage.path={context.DataDirectory("alertmanager")}",
        $"--web.listen-address={context.Address(ports.Alertmanager)}",
        "--cluster.listen-address=", // one instance: no gossip port
    ]);

var cadvisor = builder.AddExecutable("cadvisor", "cadvisor")
    .WithHttpEndpoint(ports.Cadvisor)
    .WithHttpHealthCheck("/healthz")
    .WithScrapeJob("cadvisor")
    .WithArgs(context => [$"--listen_ip={context.Host}", $"--port={ports.Cadvisor}"]);

var prometheus = builder.AddExecutable("prometheus", "prometheus")
    .WithPackage("prometheus")
    .WithHttpEndpoint(ports.Prometheus)
    .WithHttpHealthCheck("/-/ready")
    .WithScrapeJob("prometheus")
    .WithReference(probe)
    .WithReference(nodeExporter)
    .WithReference(alertmanager)
    .WithReference(cadvisor)
    .WaitFor(alertmanager)
    .WithArgs(context =>
    [
        $"--config.file={context.Config("prometheus/prometheus.yml")}",
        $"--storage.tsdb.path={context.DataDirectory("prometheus")}",
        $"--storage.tsdb.retention.time={builder.Stack.PrometheusRetention}",
        $"--web.listen-address={context.Address(ports.Prometheus)}",
    ]);

var loki = builder.AddExecutable("loki", "loki")
    .WithHttpEndpoint(ports.Loki)
    .WithHttpHealthCheck("/ready")
    .WithArgs(context =>
    [
        $"-config.file={context.Config("loki/loki.yml")}",
        "-config.expand-env=true",
        $"-server.http-listen-address={context.Host}",
        $"-server.http-listen-port={ports.Loki}",
    ])
    .WithEnvironment("LOKI_PATH_PREFIX", context => context.DataDirectory("loki"));

probe.WithEnvironment("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", context => context.IsAvailable(loki.Resource) ? new Uri(context.Url(loki.Resource), "/otlp/v1/logs").AbsoluteUri : null);

builder.AddExecutable("grafana", "grafana-server")
    .WithPackage("grafana")
    .WithHttpEndpoint(ports.Grafana)
    .WithHttpHealthCheck("/api/health")
    .WithReference(prometheus)
    .WithReference(loki)
    .WithReference(alertmanager)
    .WaitFor(prometheus)
    .WithArgs(_ => ["--homepath=/usr/share/grafana"])
    .WithEnvironment(context => StackEnvironment.Grafana(context, ports.Grafana, prometheus.Resource, loki.Resource, alertmanager.Resource));

return await builder.Build().RunAsync(Console.Out, Console.Error);
