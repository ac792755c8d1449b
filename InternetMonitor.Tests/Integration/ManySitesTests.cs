using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Observability;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// Three sites and their central machine, each a network namespace, every site joined to the central one by its own
/// uplink (<see cref="SitesNetwork"/>). Each site runs the built probe (pinging the central machine as its internet), its
/// Prometheus, Alertmanager and node-exporter with the shipped configuration rendered for its name, writing over HTTPS
/// (a CA made by the test) to the central machine's gate, with a token or a password; the central machine runs the store,
/// its rules and Alertmanager, and a receiver (a probe's alert log) that every Alertmanager notifies. The Sites dashboard
/// answers a row for each site. One site's uplink is cut for
/// minutes: SiteSilent for that site alone reaches the receiver; restored, the site's samples of the whole cut arrive at
/// the store without a gap, and the site's own InternetDown reaches the receiver late. Once for each store.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public abstract class ManySitesTests(CentralStore store, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sites = 3;
    private const int Cut = 1; // the site whose line goes down
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(15); // the shipped prometheus.yml's
    private readonly string _folder = Directory.CreateTempSubdirectory("im-sites-").FullName;
    private readonly List<IAsyncDisposable> _parts = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var part in Enumerable.Reverse(_parts))
        {
            await part.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_site_cut_off_raises_SiteSilent_alone_and_sends_its_whole_outage_when_it_is_back()
    {
        Prerequisite.RequireRoot();
        var probe = LabFixture.ProbeProgram;
        var network = Own(await SitesNetwork.CreateAsync(Sites));
        var addresses = Enumerable.Range(1, Sites).Select(SitesNetwork.CentralAddress).ToArray();
        var (authority, certificate, key) = TestCertificates.PrivateAuthority(addresses);
        var ca = Write("ca.pem", authority);

        // The receiver, on the central machine: a probe's alert log, which keeps every notification it is sent (with its
        // token: the sites' Alertmanagers post from elsewhere).
        var receiverToken = Write("receiver.token", "receiver-token-5d0e");
        Own(ProbeProcess.Start(network.Central, probe, ProbeHost.Environment(
            "--Monitor:AlertLog:Token=receiver-token-5d0e", "--Monitor:Targets:Public:lo=127.0.0.1", "--Monitor:Targets:Gateway=none", "--Monitor:Dns:Enabled=false", "--Monitor:Http:Enabled=false", "--Monitor:SpeedTest:Enabled=false"), listenOnAll: true));
        var central = new CentralOptions
        {
            Store = store,
            SiteSilentAfter = "1m",
            TlsCertFile = Write("gate.pem", certificate),
            TlsKeyFile = Write("gate-key.pem", key),
        };
        for (var site = 1; site <= Sites; site++)
        {
            central.Sites[Name(site)] = site == 2 ? new() { PasswordFile = Write($"{Name(site)}.password", Secret(site)) } : new() { TokenFile = Write($"{Name(site)}.token", Secret(site)) };
        }

        var centralAlerting = new AlertingOptions { Webhook = { Enabled = true, Url = new Uri($"http://127.0.0.1:{ProbeProcess.Port}/api/alerts"), BearerTokenFile = receiverToken } };
        var machine = Own(await CentralMachine.StartAsync(central, centralAlerting, new SecretReader(_ => null), network.Central));
        var sites = await Task.WhenAll(Enumerable.Range(1, Sites).Select(site => StartSiteAsync(network, site, probe, machine, ca, receiverToken)));

        await machine.Store.WaitForAsync("count by (site) (internet_monitor_ping_packets_sent_total)", results => results.Count == Sites, TimeSpan.FromMinutes(2));

        // The Sites dashboard's queries answer one row per site (its speed columns aside: the lab's sites run no speed test).
        foreach (var query in GrafanaDashboards.Queries(Path.Combine(GrafanaDashboards.Folder, "sites.json"))
            .Where(query => query.Where.StartsWith("panel", StringComparison.Ordinal) && !query.Expression.Contains("speedtest", StringComparison.Ordinal)))
        {
            await machine.Store.WaitForAsync(GrafanaDashboards.PromQl(query.Expression),
                results => results.Count == Sites && results.Select(result => result.Labels["site"]).Distinct().Count() == Sites, TimeSpan.FromMinutes(2));
        }
        using var receiverClient = NamespaceHttpClient.Create(network.Central, TimeSpan.FromSeconds(10));

        // The line goes down.
        var cutAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await network.CutAsync(Cut);
        var silent = await WaitForAlertAsync(receiverClient, alert => Is(alert, "SiteSilent", Name(Cut), "firing"), TimeSpan.FromMinutes(4), "SiteSilent for the cut site at the receiver");
        var toSiteSilent = clock.Elapsed;

        // The cut lasts until the site's own InternetDown fires there and its Alertmanager has tried to notify the
        // receiver (group_wait 10 s), which it cannot reach: its failed attempt, as the site's Prometheus scrapes it
        // (the other webhook, the site's own alert log, is on its loopback and does not fail).
        var cutSite = sites[Cut - 1];
        await cutSite.Prometheus.WaitForAsync("ALERTS{alertname=\"InternetDown\", alertstate=\"firing\"}", results => results.Count == 1, TimeSpan.FromMinutes(3));
        await cutSite.Prometheus.WaitForAsync("sum(alertmanager_notifications_failed_total{integration=\"webhook\"}) > 0", results => results.Count == 1, TimeSpan.FromMinutes(2));
        Assert.DoesNotContain(await AlertsAsync(receiverClient), alert => Is(alert, "InternetDown", Name(Cut), null)); // not through while the line is down
        await network.RestoreAsync(Cut);
        var restoredAt = DateTimeOffset.UtcNow;
        var cutLasted = clock.Elapsed;

        // Back: the site's own InternetDown arrives late, and SiteSilent resolves once its samples are in.
        var late = await WaitForAlertAsync(receiverClient, alert => Is(alert, "InternetDown", Name(Cut), null), TimeSpan.FromMinutes(4), "the site's InternetDown at the receiver after the cut");
        Assert.True(DateTimeOffset.Parse(late["receivedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= restoredAt, "InternetDown arrived before the line was back");
        Assert.True(DateTimeOffset.Parse(late["startsAt"]!.GetValue<string>(), CultureInfo.InvariantCulture) < restoredAt, "InternetDown started during the cut");
        await WaitForAlertAsync(receiverClient, alert => Is(alert, "SiteSilent", Name(Cut), "resolved"), TimeSpan.FromMinutes(3), "SiteSilent resolved");

        // Every sample of the cut is at the store: no two of the cut site's samples further apart than a scrape.
        var window = DateTimeOffset.UtcNow - cutAt + TimeSpan.FromSeconds(45);
        var series = await Poll.UntilAsync(
            () => machine.Store.SampleTimesAsync($"internet_monitor_ping_packets_sent_total{{site=\"{Name(Cut)}\"}}", window),
            found => found.Count == 1 && found[0].Times[^1] >= restoredAt.ToUnixTimeSeconds() + 15,
            "the cut site's samples after the line returned",
            TimeSpan.FromMinutes(2),
            TimeSpan.FromSeconds(1));
        var times = series[0].Times;
        var largest = times.Zip(times.Skip(1), (a, b) => b - a).Max();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: cut {cutLasted.TotalSeconds:F0} s; SiteSilent at the receiver {toSiteSilent.TotalSeconds:F0} s after the cut (SiteSilentAfter 1m); {times.Count} samples over {window.TotalSeconds:F0} s, largest gap {largest:F1} s; {silent["alertName"]} then {late["alertName"]} ({late["status"]})"));
        Assert.True(times[0] <= cutAt.ToUnixTimeSeconds() - 15, "the window starts before the cut");
        Assert.True(largest <= ScrapeInterval.TotalSeconds + 5, string.Create(CultureInfo.InvariantCulture, $"a gap of {largest:F1} s in the cut site's samples at the store"));

        // What a site that was never cut sends a day, from its Prometheus' own count of what it wrote since it started.
        var sent = await sites[1].Prometheus.QueryAsync("sum(prometheus_remote_storage_bytes_total) / scalar(time() - process_start_time_seconds{job=\"prometheus\"})");
        var samples = await sites[1].Prometheus.QueryAsync("sum(prometheus_remote_storage_samples_total) / scalar(time() - process_start_time_seconds{job=\"prometheus\"})");
        var held = Assert.Single(await sites[1].Prometheus.QueryAsync("prometheus_tsdb_head_series{job=\"prometheus\"}")).Value;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: {Name(2)} sends {Assert.Single(sent).Value * 86400 / 1e6:F1} MB a day ({Assert.Single(samples).Value:F1} samples a second) for {held} series"));

        // No other site raised anything, here or at the central Alertmanager.
        var all = await AlertsAsync(receiverClient);
        Assert.All(all, alert => Assert.Equal(Name(Cut), alert["labels"]?["site"]?.GetValue<string>()));
        Assert.DoesNotContain($"\"site\":\"{Name(2)}\"", await machine.AlertsAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain($"\"site\":\"{Name(3)}\"", await machine.AlertsAsync(), StringComparison.Ordinal);
    }

    private static string Name(int site) => string.Create(CultureInfo.InvariantCulture, $"site{site}");

    private static string Secret(int site) => string.Create(CultureInfo.InvariantCulture, $"secret-of-site-{site}-{site * 7919}");

    private static bool Is(JsonNode alert, string name, string site, string? status) =>
        alert["alertName"]?.GetValue<string>() == name && alert["labels"]?["site"]?.GetValue<string>() == site
        && (status is null || alert["status"]?.GetValue<string>() == status);

    private static async Task<List<JsonNode>> AlertsAsync(HttpClient receiver)
    {
        var list = JsonNode.Parse(await receiver.GetStringAsync(new Uri($"http://127.0.0.1:{ProbeProcess.Port}/api/alerts?limit=1000")))!.AsArray();
        return [.. list.OfType<JsonNode>()];
    }

    private static async Task<JsonNode> WaitForAlertAsync(HttpClient receiver, Func<JsonNode, bool> match, TimeSpan within, string what) =>
        (await Poll.UntilAsync(
            async () => (await AlertsAsync(receiver)).FirstOrDefault(match),
            alert => alert is not null,
            what,
            within,
            TimeSpan.FromSeconds(1),
            explain: async _ => $"the receiver holds: {string.Join(", ", (await AlertsAsync(receiver)).Select(alert => $"{alert["alertName"]} {alert["labels"]?["site"]} {alert["status"]}"))}"))!;

    /// <summary>
    /// Site <paramref name="site"/>: the probe pinging the central machine, its Prometheus and Alertmanager from the shipped
    /// observability/ rendered for its name and its remote write to the gate, on the site's own loopback ports.
    /// </summary>
    private async Task<SitePrometheusInLab> StartSiteAsync(SitesNetwork network, int site, string probe, CentralMachine machine, string ca, string receiverToken)
    {
        var name = Name(site);
        var lab = network.Sites[site - 1];
        var centralAddress = SitesNetwork.CentralAddress(site);
        Own(ProbeProcess.Start(lab, probe, ProbeHost.Environment(
            $"--Monitor:Targets:Public:central={centralAddress}", "--Monitor:Targets:Gateway=none", "--Monitor:Icmp:Interval=00:00:00.5",
            "--Monitor:Dns:Enabled=false", "--Monitor:Http:Enabled=false", "--Monitor:SpeedTest:Enabled=false")));

        var folder = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
        var credential = machine.Options.Sites[name];
        var stack = new StackOptions
        {
            Site = name,
            RemoteWrite = new RemoteWriteOptions
            {
                Url = machine.WriteUrlAt(centralAddress).AbsoluteUri,
                BearerTokenFile = credential.TokenFile,
                Username = credential.PasswordFile.Length > 0 ? name : string.Empty,
                PasswordFile = credential.PasswordFile,
                CaFile = ca,
            },
        };
        var alerting = new AlertingOptions
        {
            AlertLogUrl = new Uri($"http://127.0.0.1:{ProbeProcess.Port}/api/alerts"),
            Webhook = { Enabled = true, Url = new Uri($"http://{centralAddress}:{ProbeProcess.Port}/api/alerts"), BearerTokenFile = receiverToken },
        };
        var observability = Path.Combine(folder, "observability");
        Assert.Empty(ObservabilityRenderer.Render(Repository.PathOf("observability"), observability, alerting,
            new(AlertmanagerTarget.Debian12, Path.Combine(observability, "alertmanager")), new SecretReader(_ => null), stack: stack));
        foreach (var (job, target) in new[] { ("internet-monitor", $"127.0.0.1:{ProbeProcess.Port}"), ("alertmanager", "127.0.0.1:9093"), ("prometheus", "127.0.0.1:9090"), ("node", "127.0.0.1:9100"), ("cadvisor", null) })
        {
            await File.WriteAllTextAsync(Path.Combine(observability, "prometheus", "targets", job + ".yml"), target is null ? "[]\n" : $"- targets: [\"{target}\"]\n");
        }

        var nodeExporter = Prerequisite.RequireProgram("prometheus-node-exporter", "prometheus-node-exporter");
        Own(LabProcess.Start(lab, [nodeExporter, "--web.listen-address=127.0.0.1:9100"]));
        var alertmanager = Prerequisite.RequireProgram("prometheus-alertmanager", "prometheus-alertmanager");
        Own(LabProcess.Start(lab, [alertmanager, $"--config.file={observability}/alertmanager/alertmanager.yml", $"--storage.path={folder}/alertmanager",
            "--web.listen-address=127.0.0.1:9093", "--cluster.listen-address=", "--log.level=warn"]));
        var prometheus = Prerequisite.RequireProgram("prometheus", "prometheus");
        var process = Own(LabProcess.Start(lab, [prometheus, $"--config.file={observability}/prometheus/prometheus.yml", $"--storage.tsdb.path={folder}/prometheus",
            "--web.listen-address=127.0.0.1:9090", "--log.level=warn"]));
        var client = NamespaceHttpClient.Create(lab, TimeSpan.FromSeconds(10));
        client.BaseAddress = new Uri("http://127.0.0.1:9090/");
        var api = new PrometheusApi(client);
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    return (await api.QueryAsync("up == 1")).Count == 4;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            $"{name}'s Prometheus scraping its probe, node-exporter, Alertmanager and itself",
            TimeSpan.FromMinutes(1),
            TimeSpan.FromMilliseconds(500),
            () => process.HasExited ? process.Log : null);
        return new SitePrometheusInLab(api);
    }

    private T Own<T>(T part)
        where T : IAsyncDisposable
    {
        lock (_parts) // the sites start together
        {
            _parts.Add(part);
        }

        return part;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A site's Prometheus, as the test asks it.</summary>
    private sealed record SitePrometheusInLab(PrometheusApi Prometheus);
}

/// <summary>The sites writing to a central Prometheus with its remote-write receiver.</summary>
public sealed class PrometheusManySitesTests(ITestOutputHelper output) : ManySitesTests(CentralStore.Prometheus, output);

/// <summary>The sites writing to a central VictoriaMetrics, vmalert evaluating the rules.</summary>
public sealed class VictoriaMetricsManySitesTests(ITestOutputHelper output) : ManySitesTests(CentralStore.VictoriaMetrics, output);
