using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.AppHost;

[CollectionDefinition(Name)]
public sealed class ContainerEngineCollection : ICollectionFixture<ContainerEngine>
{
    public const string Name = "container engine";
}

/// <summary>
/// The compose project brought up for real, by a Docker engine of the test's own inside a namespace with only
/// loopback: local images stand in for Prometheus, Alertmanager and node-exporter (swapped in through .env), the probe's
/// image is built from its Dockerfile on the local base, and the parts with no image here are off (their profiles).
/// </summary>
[Collection(ContainerEngineCollection.Name)]
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class ComposeUpTests(ContainerEngine engine)
{
    private static readonly string[] Jobs = ["alertmanager", "internet-monitor", "node", "prometheus"];

    [Fact]
    public async Task The_published_project_comes_up_raises_internet_down_and_down_leaves_nothing()
    {
        engine.Require();
        var project = await PublishedStack.CopyAsync();
        using var client = NamespaceHttpClient.Create(engine.Network, TimeSpan.FromSeconds(5));
        try
        {
            var (code, _, error) = await PublishedStack.RunAppHostAsync(["publish", "--output", project, "--Stack:Profiles="]);
            Assert.True(code == 0, error);
            await PublishedStack.SetAsync(project, StandIns());
            await engine.MustRunAsync("docker-compose", ["build"], TimeSpan.FromMinutes(5), project);

            var clock = Stopwatch.StartNew();
            await engine.MustRunAsync("docker-compose", ["up", "-d"], TimeSpan.FromMinutes(5), project);
            var up = await JsonPoll.UntilAsync(client, new Uri("http://127.0.0.1:9090/api/v1/query?query=up"), json => JsonPoll.UpJobs(json).Count == Jobs.Length, TimeSpan.FromMinutes(3), ContainerLines(project), null, TestContext.Current.CancellationToken);
            var allUp = clock.Elapsed;
            Assert.Equal(Jobs, JsonPoll.UpJobs(up));
            await JsonPoll.UntilAsync(client, new Uri("http://127.0.0.1:9093/api/v2/alerts"), json =>
                json.RootElement.EnumerateArray().Any(alert => alert.GetProperty("labels").GetProperty("alertname").GetString() == "InternetDown"), TimeSpan.FromMinutes(3), ContainerLines(project), null, TestContext.Current.CancellationToken);
            var alerted = clock.Elapsed;
            var healthy = await engine.MustRunAsync("docker", ["ps", "--filter", "health=healthy", "--format", "{{.Label \"com.docker.compose.service\"}}"], TimeSpan.FromSeconds(30));
            Assert.Equal(["alertmanager", "node-exporter", "probe", "prometheus"], healthy.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

            // Every socket the project listens on is on 127.0.0.1 (LISTEN_ADDRESS): what the images open, not only what the flags say.
            var listening = await engine.Network.RunAsync("ss", "-Hltn");
            var local = listening.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]).ToList();
            Assert.Contains("127.0.0.1:9090", local);
            Assert.All(local, address => Assert.StartsWith("127.0.0.1:", address, StringComparison.Ordinal));

            // The probe runs unprivileged, on a read-only root, and writes its data (the budget's record) in its volume.
            Assert.Equal("1654", (await engine.MustRunAsync("docker-compose", ["exec", "-T", "probe", "id", "-u"], TimeSpan.FromMinutes(1), project)).Trim());
            Assert.NotEqual(0, (await engine.RunAsync("docker-compose", ["exec", "-T", "probe", "touch", "/app/written"], TimeSpan.FromMinutes(1), project)).ExitCode);
            await engine.MustRunAsync("docker-compose", ["exec", "-T", "probe", "touch", "/var/lib/internet-monitor/written"], TimeSpan.FromMinutes(1), project);
            Assert.Equal("700 1654", (await engine.MustRunAsync("docker-compose", ["exec", "-T", "probe", "stat", "-c", "%a %u", "/var/lib/internet-monitor"], TimeSpan.FromMinutes(1), project)).Trim());

            await engine.MustRunAsync("docker-compose", ["down", "-v"], TimeSpan.FromMinutes(2), project);

            Assert.Empty(await engine.LeftoversAsync());
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"compose up: all targets up after {allUp.TotalSeconds:0.0} s; InternetDown in Alertmanager after {alerted.TotalSeconds:0.0} s"));
        }
        finally
        {
            await engine.RunAsync("docker-compose", ["down", "-v"], TimeSpan.FromMinutes(2), project);
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task The_published_central_project_comes_up_and_takes_a_sites_writes_through_its_gate()
    {
        engine.Require();
        var folder = Directory.CreateTempSubdirectory("im-central-up-").FullName;
        var project = Path.Combine(folder, "central");
        using var client = NamespaceHttpClient.Create(engine.Network, TimeSpan.FromSeconds(5));
        try
        {
            var (authority, certificate, key) = TestCertificates.PrivateAuthority();
            var files = new Dictionary<string, string> { ["ca.pem"] = authority, ["gate.pem"] = certificate, ["gate-key.pem"] = key, ["office.token"] = "office-token-in-compose\n" };
            foreach (var (name, text) in files)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, name), text, TestContext.Current.CancellationToken);
            }

            var (code, _, error) = await PublishedStack.RunAppHostAsync(["publish", "--role", "central", "--output", project, "--Stack:Profiles=",
                $"--Central:Sites:office:TokenFile={folder}/office.token", $"--Central:TlsCertFile={folder}/gate.pem", $"--Central:TlsKeyFile={folder}/gate-key.pem"]);
            Assert.True(code == 0, error);
            await PublishedStack.SetAsync(project, new Dictionary<string, string>
            {
                ["STORE_IMAGE"] = ContainerEngine.Prometheus,
                ["ALERTMANAGER_IMAGE"] = ContainerEngine.Alertmanager,
                ["GATE_IMAGE"] = ContainerEngine.Gate,
            });
            await engine.MustRunAsync("docker-compose", ["up", "-d"], TimeSpan.FromMinutes(5), project);
            await JsonPoll.UntilAsync(client, new Uri("http://127.0.0.1:9090/api/v1/query?query=up"), json => JsonPoll.UpJobs(json).Count == 2, TimeSpan.FromMinutes(3), ContainerLines(project), null, TestContext.Current.CancellationToken);

            // A site's Prometheus, beside the project in the engine's namespace, writes through the gate over HTTPS with its token.
            var site = Directory.CreateDirectory(Path.Combine(folder, "site")).FullName;
            await File.WriteAllTextAsync(Path.Combine(site, "token"), "office-token-in-compose\n", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(site, "prometheus.yml"), $$$"""
                global: {scrape_interval: 1s, external_labels: {site: office}}
                scrape_configs: [{job_name: prometheus, static_configs: [{targets: ['127.0.0.1:19190']}]}]
                remote_write: [{url: 'https://127.0.0.1:8427/api/v1/write', authorization: {credentials_file: {{{site}}}/token}, tls_config: {ca_file: {{{folder}}}/ca.pem}}]
                """, TestContext.Current.CancellationToken);
            await using var writer = LabProcess.Start(engine.Network, [Prerequisite.RequireProgram("prometheus", "prometheus"), $"--config.file={site}/prometheus.yml",
                $"--storage.tsdb.path={site}/data", "--web.listen-address=127.0.0.1:19190", "--log.level=warn"]);
            var written = await JsonPoll.UntilAsync(client, new Uri("http://127.0.0.1:9090/api/v1/query?query=up%7Bsite%3D%22office%22%7D"),
                json => json.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() == 1, TimeSpan.FromMinutes(2), ContainerLines(project), null, TestContext.Current.CancellationToken);
            Assert.Equal("prometheus", written.RootElement.GetProperty("data").GetProperty("result")[0].GetProperty("metric").GetProperty("job").GetString());

            // The gate is the one part open beyond loopback (GATE_ADDRESS); the store, Alertmanager and the rest stay on it.
            var listening = await engine.Network.RunAsync("ss", "-Hltn");
            var local = listening.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]).ToList();
            Assert.Contains("0.0.0.0:8427", local);
            Assert.All(local.Where(address => address != "0.0.0.0:8427"), address => Assert.StartsWith("127.0.0.1:", address, StringComparison.Ordinal));

            await engine.MustRunAsync("docker-compose", ["down", "-v"], TimeSpan.FromMinutes(2), project);
            Assert.Empty(await engine.LeftoversAsync());
        }
        finally
        {
            await engine.RunAsync("docker-compose", ["down", "-v"], TimeSpan.FromMinutes(2), project);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string> StandIns() => new()
    {
        ["PROBE_BASE_IMAGE"] = ContainerEngine.Base,
        ["PROMETHEUS_IMAGE"] = ContainerEngine.Prometheus,
        ["ALERTMANAGER_IMAGE"] = ContainerEngine.Alertmanager,
        ["NODE_EXPORTER_IMAGE"] = ContainerEngine.NodeExporter,
        ["GRAFANA_ADMIN_PASSWORD"] = "correct-horse",
    };

    /// <summary>The containers' last lines, for a failure's message.</summary>
    private Func<Task<string>> ContainerLines(string project) => async () =>
        "the containers' last lines:\n" + (await engine.RunAsync("docker-compose", ["logs", "--no-color", "--tail", "20"], TimeSpan.FromMinutes(1), project)).Output;
}
