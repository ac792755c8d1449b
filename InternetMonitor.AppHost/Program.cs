using InternetMonitor.AppHost;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Model;
using InternetMonitor.AppHost.Publishing;
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

// The stack, top to bottom: what each part is, where it listens, what it reads and what it waits for; and, for
// container mode and `publish`, its image (upstream, pinned; .env may name another) and its data volume.
var probe = builder.AddProject("probe", StackBuilder.ProbeAssembly)
    .WithHttpEndpoint(ports.Probe)
    .WithHttpHealthCheck("/health")
    .WithScrapeJob(StackRendering.ProbeJob)
    .WithEnvironment(context => StackEnvironment.Probe(builder.Configuration, context, ports.Probe))
    .WithSettingsCheck(_ => [StackBuilder.ProbeAssembly, "check-config"])
    .WithImage("internet-monitor/probe", ProbeImage.Tag, "PROBE_IMAGE")
    .WithDockerfile(ProbeImage.Folder)
    .WithDataVolume(ProbeImage.DataDirectory)
    .WithContainerHealthCheck(ContainerHealthCheck.Bash)
    .PublishAsComposeService(service =>
    {
        // Unprivileged, on a read-only root, with no capability at all: it pings through unprivileged ICMP sockets,
        // which the host's net.ipv4.ping_group_range allows (systemd's default; the probe names the sysctl if not).
        service.User = ProbeImage.User;
        service.ReadOnly = true;
        service.Tmpfs.Add("/tmp");
        service.CapDrop.Add("ALL");
        service.SecurityOpt.Add("no-new-privileges:true");
    });

var nodeExporter = builder.AddExecutable("node-exporter", "prometheus-node-exporter", "node_exporter")
    .WithPackage("prometheus-node-exporter")
    .WithHttpEndpoint(ports.NodeExporter)
    .WithHttpHealthCheck("/metrics")
    .WithScrapeJob("node")
    .WithArgs(context => [$"--web.listen-address={context.Address(ports.NodeExporter)}"])
    .WithImage("prom/node-exporter", "v1.9.1", "NODE_EXPORTER_IMAGE")
    .PublishAsComposeService(service =>
    {
        // Upstream's way: the host's processes and its root file system, read-only, so that it reports the host.
        service.Pid = "host";
        service.Volumes.Add("/:/host:ro,rslave");
        service.Command.Add("--path.rootfs=/host");
    });

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
    ])
    .WithImage("prom/alertmanager", "v0.28.1", "ALERTMANAGER_IMAGE")
    .WithDataVolume("/alertmanager")
    .WithConfig("alertmanager/alertmanager.yml", "alertmanager/templates");

var cadvisor = builder.AddExecutable("cadvisor", "cadvisor")
    .WithHttpEndpoint(ports.Cadvisor)
    .WithHttpHealthCheck("/healthz")
    .WithScrapeJob("cadvisor")
    .WithArgs(context => [$"--listen_ip={context.ListenHost}", $"--port={ports.Cadvisor}"])
    .WithImage("gcr.io/cadvisor/cadvisor", "v0.52.1", "CADVISOR_IMAGE")
    .WithProfile("cadvisor")
    .PublishAsComposeService(service =>
    {
        // What cAdvisor reads to see every container: upstream's mounts; it runs as root and privileged.
        service.Privileged = true;
        service.Devices.Add("/dev/kmsg");
        service.Volumes.AddRange(["/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro", "/var/lib/docker/:/var/lib/docker:ro", "/dev/disk/:/dev/disk:ro"]);
    });

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
    ])
    .WithImage("prom/prometheus", "v3.5.0", "PROMETHEUS_IMAGE")
    .WithDataVolume("/prometheus")
    .WithConfig("prometheus");

var loki = builder.AddExecutable("loki", "loki")
    .WithHttpEndpoint(ports.Loki)
    .WithHttpHealthCheck("/ready")
    .WithArgs(context =>
    [
        $"-config.file={context.Config("loki/loki.yml")}",
        "-config.expand-env=true",
        $"-server.http-listen-address={context.ListenHost}",
        $"-server.http-listen-port={ports.Loki}",
        $"-server.grpc-listen-address={context.ListenHost}",
    ])
    .WithEnvironment("LOKI_PATH_PREFIX", context => context.DataDirectory("loki"))
    .WithImage("grafana/loki", "3.5.7", "LOKI_IMAGE") // the last release whose image holds wget, for its health check
    .WithProfile("loki")
    .WithDataVolume("/loki")
    .WithConfig("loki");

var aspireDashboard = builder.AddContainer("aspire-dashboard", "mcr.microsoft.com/dotnet/aspire-dashboard", "9.1", "ASPIRE_DASHBOARD_IMAGE")
    .WithHttpEndpoint(ports.AspireDashboard)
    .WithHttpEndpoint(ports.AspireOtlpGrpc, "otlp-grpc")
    .WithHttpEndpoint(ports.AspireOtlpHttp, "otlp-http")
    .WithProfile("aspire-dashboard")
    .WithContainerHealthCheck(ContainerHealthCheck.None) // a distroless image: nothing to run a check with
    .WithEnvironment(context =>
    [
        new("ASPNETCORE_URLS", $"http://{context.Address(ports.AspireDashboard)}"),
        new("DOTNET_DASHBOARD_OTLP_ENDPOINT_URL", $"http://{context.Address(ports.AspireOtlpGrpc)}"),
        new("DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", $"http://{context.Address(ports.AspireOtlpHttp)}"),
        // The probe sends without a key; the page itself asks for the token the dashboard logs at start.
        new("Dashboard__Otlp__AuthMode", "Unsecured"),
    ]);

probe.WithEnvironment("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", context => context.IsAvailable(loki.Resource) ? new Uri(context.Url(loki.Resource), "/otlp/v1/logs").AbsoluteUri : null)
    .WithEnvironment("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", context => context.IsAvailable(aspireDashboard.Resource) ? new Uri(context.Url(aspireDashboard.Resource, "otlp-http"), "/v1/traces").AbsoluteUri : null);

builder.AddExecutable("grafana", "grafana-server")
    .WithPackage("grafana")
    .WithHttpEndpoint(ports.Grafana)
    .WithHttpHealthCheck("/api/health")
    .WithReference(prometheus)
    .WithReference(loki)
    .WithReference(alertmanager)
    .WaitFor(prometheus)
    .WithArgs(context => context.Containers is null ? ["--homepath=/usr/share/grafana"] : []) // the image's entrypoint sets its own
    .WithEnvironment(context => StackEnvironment.Grafana(context, ports.Grafana, prometheus.Resource, loki.Resource, alertmanager.Resource))
    .WithImage("grafana/grafana", "12.2.1", "GRAFANA_IMAGE")
    .WithProfile("grafana")
    .WithDataVolume("/var/lib/grafana")
    .WithConfig("grafana")
    .PublishAsComposeService(service =>
    {
        // No default admin password: compose refuses to start until .env sets one.
        service.Environment["GF_SECURITY_ADMIN_PASSWORD"] = "${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD in .env}";
        service.Environment["GF_ANALYTICS_CHECK_FOR_UPDATES"] = "false";
    });

return await builder.Build().RunAsync(Console.Out, Console.Error);
