using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Publishing;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// <c>publish --role central --output DIR</c>: the central machine's compose project (the store, the gate, Alertmanager,
/// Grafana; vmalert with VictoriaMetrics), checked by docker-compose itself; the sites' credentials only in the gate's
/// secret file, mounted alone; no probe.
/// </summary>
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class CentralPublishTests : IDisposable
{
    private const string Password = "home-password-in-a-file";
    private readonly string _folder = Directory.CreateTempSubdirectory("im-central-publish-").FullName;

    [Theory]
    [InlineData("prometheus", new[] { "alertmanager", "store", "gate", "grafana" }, "--web.enable-remote-write-receiver")]
    [InlineData("victoriametrics", new[] { "alertmanager", "store", "rules", "gate", "grafana" }, "-promscrape.config=/etc/internet-monitor/central/victoriametrics/scrape.yml")]
    public async Task The_central_project_holds_the_store_behind_its_gate_and_docker_compose_accepts_it(string store, string[] services, string storeArgument)
    {
        Prerequisite.RequireProgram("docker-compose", "docker-compose");
        var project = Path.Combine(_folder, store);
        var (_, certificate, key) = TestCertificates.PrivateAuthority();
        File.WriteAllText(Path.Combine(_folder, "gate.pem"), certificate);
        File.WriteAllText(Path.Combine(_folder, "gate-key.pem"), key);
        File.WriteAllText(Path.Combine(_folder, "home.password"), Password + "\n");

        var (code, output, error) = await PublishedStack.RunAppHostAsync(
        [
            "publish", "--role", "central", "--output", project, $"--Central:Store={store}",
            $"--Central:Sites:home:PasswordFile={Path.Combine(_folder, "home.password")}",
            $"--Central:TlsCertFile={Path.Combine(_folder, "gate.pem")}", $"--Central:TlsKeyFile={Path.Combine(_folder, "gate-key.pem")}",
        ]);

        Assert.True(code == 0, error + output);
        var compose = await File.ReadAllTextAsync(Path.Combine(project, ComposePublisher.ComposeFile), TestContext.Current.CancellationToken);
        var root = PublishTests.Root(compose);
        var declared = ((YamlMappingNode)root["services"]).Children.Keys.Select(name => ((YamlScalarNode)name).Value).ToList();
        Assert.Equal(services, declared);
        Assert.Contains(storeArgument, compose, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9090", compose, StringComparison.Ordinal); // the store listens on loopback alone
        Assert.Contains("-httpListenAddr=${GATE_ADDRESS:?set GATE_ADDRESS in .env}:8427", compose, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project, "probe")), "the central machine runs no probe");

        var env = PublishTests.ReadEnv(project);
        Assert.Equal(ComposePublisher.CentralProjectName, env["COMPOSE_PROJECT_NAME"]);
        Assert.Equal("0.0.0.0", env["GATE_ADDRESS"]);
        Assert.Equal("grafana", env["COMPOSE_PROFILES"]);
        Assert.Equal($"{VictoriaMetricsImageTags.Gate}:{VictoriaMetricsImageTags.Tag}", env["GATE_IMAGE"]);

        var secrets = Path.Combine(project, "observability", CentralBuilderExtensions.SecretsFolder);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(secrets));
        Assert.Equal([GateConfigRenderer.CertificateFile, GateConfigRenderer.KeyFile, GateConfigRenderer.AuthFile], Directory.GetFiles(secrets).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.GetFiles(secrets).Select(Path.GetFileName))
        {
            Assert.Contains($"./observability/{CentralBuilderExtensions.SecretsFolder}/{file}:/etc/internet-monitor/{CentralBuilderExtensions.SecretsFolder}/{file}:ro", compose, StringComparison.Ordinal);
        }

        Assert.Contains(Password, await File.ReadAllTextAsync(Path.Combine(secrets, GateConfigRenderer.AuthFile), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        foreach (var text in new[] { compose, await File.ReadAllTextAsync(Path.Combine(project, ".env"), TestContext.Current.CancellationToken) })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }

        await PublishedStack.SetAsync(project, new Dictionary<string, string> { ["GRAFANA_ADMIN_PASSWORD"] = "correct-horse" });
        var (accepted, _, refusal) = await PublishTests.ComposeAsync(project, "config", "-q");
        Assert.True(accepted == 0, refusal);
    }

    [Theory]
    [InlineData("", "Cannot publish: Central:Sites names no site")]
    [InlineData("--Central:Store=influx", "Central:Store")]
    [InlineData("--Central:SiteSilentAfter=5s", "Invalid configuration: Central:SiteSilentAfter must be a duration from 1m to 12h")]
    public async Task A_bad_central_publish_is_one_message_and_writes_nothing(string argument, string message)
    {
        var project = Path.Combine(_folder, "bad");
        string[] arguments = ["publish", "--role", "central", "--output", project, .. argument.Length > 0 ? [argument] : Array.Empty<string>()];
        if (argument.Length > 0)
        {
            File.WriteAllText(Path.Combine(_folder, "home.password"), Password + "\n");
            arguments = [.. arguments, $"--Central:Sites:home:PasswordFile={Path.Combine(_folder, "home.password")}"];
        }

        var (code, _, error) = await PublishedStack.RunAppHostAsync(arguments);

        Assert.NotEqual(0, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, ComposePublisher.ComposeFile)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
