using System.Globalization;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.Lab;
using Microsoft.AspNetCore.Builder;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The stack on loopback, with as many of the metrics the rules and dashboards read as this machine can make: a probe
/// pinging 127.0.0.1 and a gateway (127.0.0.2) with a plan and a data budget, asking a real DNS server (dnsmasq) for a
/// name it knows and one it does not, checking an HTTP server, and running a speed test against a server pacing its
/// downloads; node-exporter; Alertmanager with the rendered configuration; and
/// Prometheus with the shipped observability/prometheus/ (its targets files pointed at these, scraping and
/// evaluating every second instead of 15 s). cAdvisor has no package here: its job has no target.
/// </summary>
public sealed class LiveStack : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _parts = [];
    private string _folder = string.Empty;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public WebApplication Probe { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Prerequisite.RequireRoot();
        _folder = Directory.CreateTempSubdirectory("im-stack-").FullName;
        // Downloads paced to 20 Mbit/s on one stream, so that a 1 MB round lasts long enough for round trips under load.
        var server = Own(new FaultySpeedTestServer(SpeedTestServerFault.None, bytesPerSecondPerConnection: 2_500_000));
        var dns = Own(await DnsmasqServer.StartAsync());
        var web = Own(await CaptureServer.StartAsync());
        Probe = Own(await ProbeHost.StartWithIcmpAsync(
            _ => { },
        [
            "--Monitor:Plan:DownloadMbps=100",
            "--Monitor:Plan:UploadMbps=20",
            "--Monitor:Dns:Enabled=true",
            "--Monitor:Dns:SystemResolver=false",
            $"--Monitor:Dns:Servers:local={dns.Endpoint}",
            $"--Monitor:Dns:Names:0={DnsmasqServer.KnownName}",
            $"--Monitor:Dns:Names:1={DnsmasqServer.MissingName}", // a failure (NXDOMAIN) every run, for the failure panels
            "--Monitor:Dns:Interval=00:00:01",
            "--Monitor:Dns:Timeout=00:00:00.5",
            "--Monitor:Dns:StartJitter=00:00:00",
            "--Monitor:Http:Enabled=true",
            $"--Monitor:Http:Targets:local:Url={web.Url}",
            "--Monitor:Http:Interval=00:00:02",
            "--Monitor:Http:Timeout=00:00:01",
            "--Monitor:Http:StartJitter=00:00:00",
            .. ProbeHost.ScheduledSpeedTestArguments(server.Url, Path.Combine(_folder, "budget.json")),
            "--Monitor:SpeedTest:Streams=1",
            "--Monitor:Targets:Gateway=127.0.0.2",
        ]));
        var node = Own(await WebServerProcess.StartNodeExporterAsync());

        var errors = ObservabilityRenderer.Render(
            Repository.PathOf("observability"), _folder, new AlertingOptions { AlertLogUrl = new Uri(ProbeHost.BaseAddress(Probe), "/api/alerts") },
            new(AlertmanagerTarget.Debian12, Path.Combine(_folder, "alertmanager")), new SecretReader(_ => null));
        Assert.Empty(errors);
        var alertmanager = Own(await WebServerProcess.StartAlertmanagerAsync(Path.Combine(_folder, "alertmanager", "alertmanager.yml")));

        var prometheusFolder = Path.Combine(_folder, "prometheus");
        var config = Path.Combine(prometheusFolder, "prometheus.yml");
        var text = await File.ReadAllTextAsync(config);
        Assert.Contains("scrape_interval: 15s", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, text.Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal)
            .Replace("evaluation_interval: 15s", "evaluation_interval: 1s", StringComparison.Ordinal));
        await WriteTargetsAsync(prometheusFolder, "internet-monitor", ProbeHost.BaseAddress(Probe));
        await WriteTargetsAsync(prometheusFolder, "node", node.Url);
        await WriteTargetsAsync(prometheusFolder, "alertmanager", alertmanager.Url);
        Prometheus = await PrometheusServer.StartWithConfigAsync(config, Directory.CreateTempSubdirectory("im-prometheus-").FullName);
        await WriteTargetsAsync(prometheusFolder, "prometheus", Prometheus.Url); // file_sd picks it up
    }

    public async ValueTask DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            await _parts[i].DisposeAsync();
        }

        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static Task WriteTargetsAsync(string prometheusFolder, string job, Uri url) =>
        File.WriteAllTextAsync(Path.Combine(prometheusFolder, "targets", job + ".yml"), string.Create(CultureInfo.InvariantCulture, $"- targets: [\"{url.Authority}\"]\n"));

    private T Own<T>(T part)
        where T : IAsyncDisposable
    {
        _parts.Add(part);
        return part;
    }
}
