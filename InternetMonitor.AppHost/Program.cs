using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.AspireDashboard;
using InternetMonitor.AppHost.Integrations.Cadvisor;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Integrations.Grafana;
using InternetMonitor.AppHost.Integrations.Loki;
using InternetMonitor.AppHost.Integrations.NodeExporter;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Integrations.Probe;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.AppHost.Publishing;
using InternetMonitor.AppHost.Stack;

// The command line: `--help` and `render --output DIR` (the configuration alone, for a stack run by hand or by a
// service manager) are answered here; a run's or a publish's arguments go on.
var (arguments, exitCode) = await StackCommandLine.ParseAsync(args, Console.Out, Console.Error);
if (arguments is null)
{
    return exitCode;
}

var builder = DistributedApplication.CreateBuilder(arguments.ForAspire());
var stack = builder.AddStack(arguments, Console.Error);
if (stack is null)
{
    return StackBuilderExtensions.ErrorExitCode;
}

var ports = stack.Options.Ports;

if (arguments.Role == StackRole.Central)
{
    // The central machine (`publish --role central`; docs/sites.md): the store every site writes to, behind the gate that
    // knows each site's credential; the alerts for every site (SiteSilent among them) and their Alertmanager; one Grafana.
    var central = stack.Central;
    var centralAlertmanager = builder.AddAlertmanager("alertmanager", ports.Alertmanager);
    var store = builder.AddCentralStore("store", central)
        .WaitFor(centralAlertmanager);
    if (central.Store == CentralStore.VictoriaMetrics)
    {
        builder.AddCentralRules("rules", central, store, centralAlertmanager)
            .WaitFor(store);
    }

    builder.AddCentralGate("gate", central, GateConfigRenderer.NewPageKey())
        .WaitFor(store);
    builder.AddGrafana("grafana", ports.Grafana)
        .WithDataSources(store, loki: null, centralAlertmanager)
        .WaitFor(store);
    builder.AddComposePublishing(store.Resource);
    await builder.Build().RunAsync();
    return Environment.ExitCode;
}

// The stack, top to bottom: the probe, then each observability part with its port, what it reads and what it waits for.
var probe = builder.AddProject<Projects.InternetMonitor_Probe>("probe")
    .WithProbeDefaults(ports.Probe);

var nodeExporter = builder.AddNodeExporter("node-exporter", ports.NodeExporter);

var alertmanager = builder.AddAlertmanager("alertmanager", ports.Alertmanager)
    .WithAlertLog(probe);

var cadvisor = builder.AddCadvisor("cadvisor", ports.Cadvisor);

var prometheus = builder.AddPrometheus("prometheus", ports.Prometheus)
    .WithRetention(stack.Options.PrometheusRetention)
    .WithReference(probe)
    .WithReference(nodeExporter)
    .WithReference(alertmanager)
    .WithReference(cadvisor)
    .WaitFor(alertmanager);

var loki = builder.AddLoki("loki", ports.Loki);

var aspireDashboard = builder.AddComposeAspireDashboard("aspire-dashboard", ports);

probe.WithLogsTo(loki)
    .WithTracesTo(aspireDashboard);

builder.AddGrafana("grafana", ports.Grafana)
    .WithDataSources(prometheus, loki, alertmanager)
    .WithReference(prometheus)
    .WithReference(loki)
    .WithReference(alertmanager)
    .WaitFor(prometheus);

// `publish --output DIR`: the compose project, written by a step on Aspire's pipeline.
builder.AddComposePublishing(prometheus.Resource);

// Before anything starts: the probe's own check of its settings, and the configuration rendered for this run.
if (!arguments.Publish && await StackStartup.RefusedAsync(builder, stack, prometheus.Resource, Console.Error))
{
    return StackBuilderExtensions.ErrorExitCode;
}

await builder.Build().RunAsync();
return Environment.ExitCode; // a publishing step that refused sets it
