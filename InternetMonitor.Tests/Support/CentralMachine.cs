using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The central machine as a user runs it from <c>render --role central</c>: its configuration rendered from the shipped
/// observability/ and the test's <c>Central</c> and <c>Alerting</c> settings, its parts Debian's programs on loopback,
/// each on a free port: Alertmanager, the store (Prometheus with its remote-write receiver, or VictoriaMetrics with
/// vmalert) and the gate (vmauth); on this host's loopback, or inside a lab namespace (the gate then on
/// <c>Central:GateAddress</c>, where the sites reach it). Every part is stopped by process id; the folder is deleted.
/// </summary>
public sealed class CentralMachine : IAsyncDisposable
{
    private readonly List<(Func<bool> HasExited, Func<string> Log, Func<Task> Stop)> _parts = [];
    private (string Program, int Port, string Health, string[] Arguments, int Part) _store;
    private readonly string _folder;
    private readonly NetworkNamespace? _network;
    private readonly HttpClient _client;

    private CentralMachine(string folder, CentralOptions central, int alertmanagerPort, NetworkNamespace? network)
    {
        _folder = folder;
        _network = network;
        Options = central;
        _client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(10));
        _client.BaseAddress = new Uri($"http://127.0.0.1:{central.Ports.Store}/");
        Store = new PrometheusApi(_client);
        Alertmanager = new Uri($"http://127.0.0.1:{alertmanagerPort}/");
    }

    public CentralOptions Options { get; }

    /// <summary>The store's query API, on loopback behind the gate (as Grafana and the rules reach it).</summary>
    public PrometheusApi Store { get; }

    public Uri Alertmanager { get; }

    /// <summary>Where a site on this host writes: the gate's remote-write endpoint on loopback.</summary>
    public Uri WriteUrl => WriteUrlAt(IPAddress.Loopback);

    /// <summary>The gate's remote-write endpoint at <paramref name="address"/> (the central machine's address on a site's link).</summary>
    public Uri WriteUrlAt(IPAddress address) => new($"{(Options.TlsCertFile.Length > 0 ? "https" : "http")}://{address}:{Options.Ports.Gate}{GateConfigRenderer.WritePath}");

    /// <summary>
    /// Renders and starts the central machine for <paramref name="central"/>, inside <paramref name="network"/> when given;
    /// its ports are chosen here.
    /// </summary>
    public static async Task<CentralMachine> StartAsync(CentralOptions central, AlertingOptions alerting, SecretReader secrets, NetworkNamespace? network = null)
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

        var machine = new CentralMachine(folder, central, stack.Ports.Alertmanager, network);
        try
        {
            var data = Path.Combine(folder, "data");
            await machine.StartPartAsync("prometheus-alertmanager", stack.Ports.Alertmanager, "/-/ready",
                $"--config.file={config}/alertmanager/alertmanager.yml", $"--storage.path={data}/alertmanager",
                $"--web.listen-address=127.0.0.1:{stack.Ports.Alertmanager}", "--cluster.listen-address=", "--log.level=warn");
            var store = $"127.0.0.1:{central.Ports.Store}";
            if (central.Store == CentralStore.VictoriaMetrics)
            {
                await machine.StartStoreAsync("victoria-metrics", central.Ports.Store, "/health",
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
                await machine.StartStoreAsync("prometheus", central.Ports.Store, "/-/ready",
                    $"--config.file={config}/central/prometheus/prometheus.yml", $"--storage.tsdb.path={data}/store",
                    $"--storage.tsdb.retention.time={central.Retention}", $"--web.listen-address={store}", "--web.enable-remote-write-receiver", "--log.level=warn");
            }

            var secretsFolder = Path.Combine(config, CentralBuilderExtensions.SecretsFolder);
            var gate = new List<string> { $"-auth.config={secretsFolder}/{GateConfigRenderer.AuthFile}", $"-httpListenAddr={(network is null ? "127.0.0.1" : central.GateAddress)}:{central.Ports.Gate}", "-loggerLevel=WARN" };
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

    /// <summary>Stops the store, as a machine that goes down; the gate answers every write with an error meanwhile.</summary>
    public async Task StopStoreAsync()
    {
        var part = _parts[_store.Part];
        _parts[_store.Part] = (() => true, () => string.Empty, () => Task.CompletedTask);
        await part.Stop();
    }

    /// <summary>Starts the store again on its data, as it was.</summary>
    public async Task RestartStoreAsync()
    {
        await StartStoreAsync(_store.Program, _store.Port, _store.Health, _store.Arguments);
    }

    /// <summary>The alerts Alertmanager holds now, as its API gives them.</summary>
    public async Task<string> AlertsAsync()
    {
        using var client = NamespaceHttpClient.Create(_network, TimeSpan.FromSeconds(10));
        return await client.GetStringAsync(new Uri(Alertmanager, "api/v2/alerts"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in Enumerable.Reverse(_parts))
        {
            await part.Stop();
        }

        _client.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StartStoreAsync(string program, int port, string health, params string[] arguments)
    {
        await StartPartAsync(program, port, health, arguments);
        _store = (program, port, health, arguments, _parts.Count - 1);
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

        if (_network is null)
        {
            var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            _parts.Add((() => process.HasExited, () => stderr.IsCompleted ? stderr.Result : string.Empty, async () =>
            {
                // SIGTERM first, as a machine shutting down sends it (VictoriaMetrics writes out what it holds then), SIGKILL after 15 s.
                if (!process.HasExited)
                {
                    await Command.TryRunAsync("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
                    using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                    try
                    {
                        await process.WaitForExitAsync(grace.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        process.Kill();
                        await process.WaitForExitAsync();
                    }
                }

                process.Dispose();
            }
            ));
        }
        else
        {
            var process = LabProcess.Start(_network, [path, .. arguments]);
            _parts.Add((() => process.HasExited, () => process.Log, async () => await process.DisposeAsync()));
        }

        var (hasExited, log, _) = _parts[^1];
        using var client = NamespaceHttpClient.Create(_network, TimeSpan.FromSeconds(2));
        var ready = await Poll.HoldsAsync(
            async () =>
            {
                try
                {
                    if (healthPath is null)
                    {
                        using var socket = _network is null ? NewSocket() : NamespaceThread.Run(_network, NewSocket);
                        await socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
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
            () => hasExited() ? "it exited" : null);
        Assert.True(ready, $"{program} did not come up on port {port}: {(hasExited() ? log() : "no answer")}");
    }

    private static Socket NewSocket() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
}
