using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The central machine as a user runs it from <c>render --role central</c>: its configuration rendered from the shipped
/// observability/ and the test's <c>Central</c> and <c>Alerting</c> settings, its parts Debian's programs on loopback,
/// each on a free port: Alertmanager, the store (Prometheus with its remote-write receiver, or VictoriaMetrics with
/// vmalert) and the gate (vmauth). Every part is stopped by process id; the folder is deleted.
/// </summary>
public sealed class CentralMachine : IAsyncDisposable
{
    private readonly List<Process> _parts = [];
    private readonly string _folder;
    private readonly HttpClient _client;

    private CentralMachine(string folder, CentralOptions central, int alertmanagerPort)
    {
        _folder = folder;
        Options = central;
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{central.Ports.Store}/"), Timeout = TimeSpan.FromSeconds(10) };
        Store = new PrometheusApi(_client);
        Alertmanager = new Uri($"http://127.0.0.1:{alertmanagerPort}/");
    }

    public CentralOptions Options { get; }

    /// <summary>The store's query API, on loopback behind the gate (as Grafana and the rules reach it).</summary>
    public PrometheusApi Store { get; }

    public Uri Alertmanager { get; }

    /// <summary>Where a site writes: the gate's remote-write endpoint.</summary>
    public Uri WriteUrl => new($"{(Options.TlsCertFile.Length > 0 ? "https" : "http")}://127.0.0.1:{Options.Ports.Gate}{GateConfigRenderer.WritePath}");

    /// <summary>Renders and starts the central machine for <paramref name="central"/>; its ports are chosen here.</summary>
    public static async Task<CentralMachine> StartAsync(CentralOptions central, AlertingOptions alerting, SecretReader secrets)
    {
        ArgumentNullException.ThrowIfNull(central);
        var folder = Directory.CreateTempSubdirectory("im-central-").FullName;
        central.Ports.Gate = LoopbackPort.FreeTcp();
        central.Ports.Store = LoopbackPort.FreeTcp();
        central.Ports.Rules = LoopbackPort.FreeTcp();
        var stack = new StackOptions();
        stack.Ports.Alertmanager = LoopbackPort.FreeTcp();
        var config = Path.Combine(folder, "observability");
        var errors = ObservabilityRenderer.RenderCentral(Repository.PathOf("observability"), config, central, stack, alerting,
            new AlertmanagerTarget(AlertmanagerTarget.Debian12, Path.Combine(config, "alertmanager")), secrets);
        Assert.Empty(errors);

        var machine = new CentralMachine(folder, central, stack.Ports.Alertmanager);
        try
        {
            var data = Path.Combine(folder, "data");
            await machine.StartPartAsync("prometheus-alertmanager", stack.Ports.Alertmanager, "/-/ready",
                $"--config.file={config}/alertmanager/alertmanager.yml", $"--storage.path={data}/alertmanager",
                $"--web.listen-address=127.0.0.1:{stack.Ports.Alertmanager}", "--cluster.listen-address=", "--log.level=warn");
            var store = $"127.0.0.1:{central.Ports.Store}";
            if (central.Store == CentralStore.VictoriaMetrics)
            {
                await machine.StartPartAsync("victoria-metrics", central.Ports.Store, "/health",
                    $"-storageDataPath={data}/store", $"-retentionPeriod={central.Retention}", $"-httpListenAddr={store}",
                    $"-promscrape.config={config}/central/victoriametrics/scrape.yml", "-loggerLevel=WARN");
                await machine.StartPartAsync("vmalert", central.Ports.Rules, "/health",
                    $"-rule={config}/prometheus/rules/alerts.yml", $"-rule={config}/central/rules/sites.yml",
                    $"-datasource.url=http://{store}", $"-remoteWrite.url=http://{store}", $"-remoteRead.url=http://{store}",
                    $"-notifier.url={machine.Alertmanager.AbsoluteUri.TrimEnd('/')}", "-evaluationInterval=15s",
                    $"-httpListenAddr=127.0.0.1:{central.Ports.Rules}", "-loggerLevel=WARN");
            }
            else
            {
                await machine.StartPartAsync("prometheus", central.Ports.Store, "/-/ready",
                    $"--config.file={config}/central/prometheus/prometheus.yml", $"--storage.tsdb.path={data}/store",
                    $"--storage.tsdb.retention.time={central.Retention}", $"--web.listen-address={store}", "--web.enable-remote-write-receiver", "--log.level=warn");
            }

            var secretsFolder = Path.Combine(config, CentralBuilderExtensions.SecretsFolder);
            var gate = new List<string> { $"-auth.config={secretsFolder}/{GateConfigRenderer.AuthFile}", $"-httpListenAddr=127.0.0.1:{central.Ports.Gate}", "-loggerLevel=WARN" };
            if (central.TlsCertFile.Length > 0)
            {
                gate.AddRange(["-tls", $"-tlsCertFile={secretsFolder}/{GateConfigRenderer.CertificateFile}", $"-tlsKeyFile={secretsFolder}/{GateConfigRenderer.KeyFile}"]);
            }

            await machine.StartPartAsync("vmauth", central.Ports.Gate, healthPath: null, [.. gate]);
            return machine;
        }
        catch
        {
            await machine.DisposeAsync();
            throw;
        }
    }

    /// <summary>The alerts Alertmanager holds now, as its API gives them.</summary>
    public async Task<string> AlertsAsync()
    {
        using var client = new HttpClient { BaseAddress = Alertmanager, Timeout = TimeSpan.FromSeconds(10) };
        return await client.GetStringAsync(new Uri("api/v2/alerts", UriKind.Relative));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in Enumerable.Reverse(_parts))
        {
            if (!part.HasExited)
            {
                part.Kill();
                await part.WaitForExitAsync();
            }

            part.Dispose();
        }

        _client.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Starts Debian's <paramref name="program"/> and waits until <paramref name="healthPath"/> answers 200 (or, for none, the port accepts).</summary>
    private async Task StartPartAsync(string program, int port, string? healthPath, params string[] arguments)
    {
        var path = Prerequisite.RequireProgram(program, program == "vmalert" || program == "vmauth" ? "victoria-metrics" : program);
        var info = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        _parts.Add(process);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = await Poll.HoldsAsync(
            async () =>
            {
                try
                {
                    if (healthPath is null)
                    {
                        using var tcp = new TcpClient();
                        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                        return true;
                    }

                    using var response = await client.GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{healthPath}")), TestContext.Current.CancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception exception) when (exception is HttpRequestException or SocketException or TaskCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(100),
            () => process.HasExited ? "it exited" : null);
        Assert.True(ready, $"{program} did not come up on port {port}: {(process.HasExited ? await stderr : "no answer")}");
    }
}
