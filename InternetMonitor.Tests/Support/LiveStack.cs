using System.Globalization;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
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
/// That Prometheus is site <see cref="Site"/> and writes to a central machine (<see cref="CentralMachine"/>, as
/// <c>render --role central</c> makes it), where a second site, <see cref="OtherSite"/>, writes too: its own Prometheus
/// with the same shipped configuration, scraping the same probe and node-exporter, with a credential of its own.
/// </summary>
public sealed class LiveStack : IAsyncLifetime
{
    /// <summary>The site of the stack's own Prometheus.</summary>
    public const string Site = "home";

    /// <summary>The second site writing to the central store.</summary>
    public const string OtherSite = "office";

    private readonly List<IAsyncDisposable> _parts = [];
    private string _folder = string.Empty;

    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>The central machine both sites write to, through its gate (home with a password, office with a token).</summary>
    public CentralMachine Central { get; private set; } = null!;

    /// <summary>The second site's Prometheus.</summary>
    public PrometheusServer OtherSitePrometheus { get; private set; } = null!;

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
        var credentials = Path.Combine(_folder, "credentials");
        Directory.CreateDirectory(credentials);
        await File.WriteAllTextAsync(Path.Combine(credentials, Site + ".password"), "live-home-password-5e2b\n");
        await File.WriteAllTextAsync(Path.Combine(credentials, OtherSite + ".token"), "live-office-token-8c41\n");
        Central = Own(await CentralMachine.StartAsync(
            new CentralOptions
            {
                Sites =
                {
                    [Site] = new() { PasswordFile = Path.Combine(credentials, Site + ".password") },
                    [OtherSite] = new() { TokenFile = Path.Combine(credentials, OtherSite + ".token") },
                },
            },
            new AlertingOptions(),
            new SecretReader(_ => null)));

        var stack = new StackOptions
        {
            Site = Site,
            RemoteWrite = { Url = Central.WriteUrl.AbsoluteUri, Username = Site, PasswordFile = Path.Combine(credentials, Site + ".password") },
        };
        var errors = ObservabilityRenderer.Render(
            Repository.PathOf("observability"), _folder, new AlertingOptions { AlertLogUrl = new Uri(ProbeHost.BaseAddress(Probe), "/api/alerts") },
            new(AlertmanagerTarget.Debian12, Path.Combine(_folder, "alertmanager")), new SecretReader(_ => null), stack: stack);
        Assert.Empty(errors);
        var alertmanager = Own(await WebServerProcess.StartAlertmanagerAsync(Path.Combine(_folder, "alertmanager", "alertmanager.yml")));

        var prometheusFolder = Path.Combine(_folder, "prometheus");
        var config = Path.Combine(prometheusFolder, "prometheus.yml");
        await File.WriteAllTextAsync(config, EverySecond(await File.ReadAllTextAsync(config)));
        await WriteTargetsAsync(prometheusFolder, "internet-monitor", ProbeHost.BaseAddress(Probe));
        await WriteTargetsAsync(prometheusFolder, "node", node.Url);
        await WriteTargetsAsync(prometheusFolder, "alertmanager", alertmanager.Url);
        Prometheus = await PrometheusServer.StartWithConfigAsync(config, Directory.CreateTempSubdirectory("im-prometheus-").FullName);
        await WriteTargetsAsync(prometheusFolder, "prometheus", Prometheus.Url); // file_sd picks it up

        OtherSitePrometheus = Own(await StartOtherSiteAsync(prometheusFolder, new RemoteWriteOptions
        {
            Url = Central.WriteUrl.AbsoluteUri,
            BearerTokenFile = Path.Combine(credentials, OtherSite + ".token"),
        }));
    }

    /// <summary>
    /// The second site's Prometheus: the shipped prometheus.yml rendered for <see cref="OtherSite"/> and its remote write,
    /// the rules and targets of the first, and no Alertmanager to send its alerts to (the first site's is not its own).
    /// </summary>
    private async Task<PrometheusServer> StartOtherSiteAsync(string prometheusFolder, RemoteWriteOptions remoteWrite)
    {
        var site = Path.Combine(_folder, OtherSite);
        var folder = Path.Combine(site, "prometheus");
        foreach (var file in Directory.EnumerateFiles(prometheusFolder, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(prometheusFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        var rendering = PrometheusConfigRenderer.Render(
            await File.ReadAllTextAsync(Repository.PathOf("observability", "prometheus", "prometheus.yml")), OtherSite, remoteWrite, new SecretReader(_ => null));
        Assert.Empty(rendering.Errors);
        foreach (var (relative, value) in rendering.SecretFiles) // beside prometheus/, as the AppHost renders them
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(site, relative))!);
            await File.WriteAllTextAsync(Path.Combine(site, relative), value + "\n");
        }

        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, EverySecond(rendering.Yaml));
        await File.WriteAllTextAsync(Path.Combine(folder, "targets", "alertmanager.yml"), "[]\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "targets", "prometheus.yml"), "[]\n"); // itself, once it listens
        var server = await PrometheusServer.StartWithConfigAsync(config, Directory.CreateTempSubdirectory("im-prometheus-").FullName);
        await WriteTargetsAsync(folder, "prometheus", server.Url);
        return server;
    }

    /// <summary>The shipped configuration scraping and evaluating every second instead of every 15 s.</summary>
    private static string EverySecond(string config)
    {
        Assert.Contains("scrape_interval: 15s", config, StringComparison.Ordinal);
        return config.Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal)
            .Replace("evaluation_interval: 15s", "evaluation_interval: 1s", StringComparison.Ordinal);
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
