using System.Diagnostics;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// <c>publish --output DIR</c>: the compose project, checked by docker-compose itself (<c>config</c> validates and
/// interpolates it without an engine); what it prints is read in <see cref="PublishedManifestTests"/>.
/// </summary>
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class PublishTests
{
    [Fact]
    public async Task Docker_compose_config_accepts_the_project_once_the_grafana_password_is_set_and_refuses_it_before()
    {
        Prerequisite.RequireProgram("docker-compose", "docker-compose");
        var project = await PublishedStack.CopyAsync();
        try
        {
            var (refused, _, why) = await ComposeAsync(project, "config", "-q");
            Assert.NotEqual(0, refused);
            Assert.Contains("set GRAFANA_ADMIN_PASSWORD in .env", why, StringComparison.Ordinal);

            await PublishedStack.SetAsync(project, new Dictionary<string, string> { ["GRAFANA_ADMIN_PASSWORD"] = "correct-horse" });
            var (accepted, _, error) = await ComposeAsync(project, "config", "-q");
            Assert.True(accepted == 0, error);

            // With Grafana's profile off, its password is not asked for (nor does it stop ps, logs or down).
            await PublishedStack.SetAsync(project, new Dictionary<string, string> { ["GRAFANA_ADMIN_PASSWORD"] = string.Empty });
            var (republished, _, problem) = await PublishedStack.RunAppHostAsync(["publish", "--output", project, "--Stack:Profiles=loki"]);
            Assert.True(republished == 0, problem);
            var (withoutGrafana, _, refusal) = await ComposeAsync(project, "config", "-q");
            Assert.True(withoutGrafana == 0, refusal);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task Publishing_again_keeps_the_operators_values_follows_the_new_profiles_and_reuses_the_probes_build()
    {
        var project = await PublishedStack.CopyAsync();
        try
        {
            await PublishedStack.SetAsync(project, new Dictionary<string, string>
            {
                ["GRAFANA_ADMIN_PASSWORD"] = "kept-secret",
                ["PROMETHEUS_IMAGE"] = "registry.example/prometheus:v3.5.0",
                ["PROBE_IMAGE"] = "internet-monitor/probe:0.9.0",
            });
            await File.AppendAllTextAsync(Path.Combine(project, ".env"), "TZ=Europe/Berlin\n", TestContext.Current.CancellationToken);

            var (code, output, error) = await PublishedStack.RunAppHostAsync(["publish", "--output", project, "--Stack:Profiles=grafana", "--Stack:ListenAddress=0.0.0.0"]);

            Assert.True(code == 0, error);
            var env = ReadEnv(project);
            Assert.Equal("kept-secret", env["GRAFANA_ADMIN_PASSWORD"]);
            Assert.Equal("registry.example/prometheus:v3.5.0", env["PROMETHEUS_IMAGE"]);
            Assert.Contains("kept PROMETHEUS_IMAGE from the existing .env (this version writes prom/prometheus:v3.5.0)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("kept-secret", output, StringComparison.Ordinal);
            Assert.Equal("Europe/Berlin", env["TZ"]); // added by hand
            Assert.Equal("internet-monitor/probe:1.0.0", env["PROBE_IMAGE"]); // follows the publish: this version's build
            Assert.Equal("grafana", env["COMPOSE_PROFILES"]);
            Assert.Equal("127.0.0.1", env["LISTEN_ADDRESS"]); // the operator's value, not this publish's
            Assert.Contains("[]", await File.ReadAllTextAsync(Path.Combine(project, "observability", "prometheus", "targets", "cadvisor.yml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.DoesNotContain("INTERNET_MONITOR_LOGS_OTLP_ENDPOINT", await File.ReadAllTextAsync(Path.Combine(project, "docker-compose.yaml"), TestContext.Current.CancellationToken), StringComparison.Ordinal); // Loki is off
            Assert.DoesNotContain("Publishing the probe", output, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(project, ".env")));
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task The_remote_writes_password_reaches_prometheus_by_its_own_read_only_mount_and_nowhere_else()
    {
        const string password = "remote-secret-part";
        var project = await PublishedStack.CopyAsync();
        try
        {
            var (code, _, error) = await PublishedStack.RunAppHostAsync(
                ["publish", "--output", project, "--Stack:Site=office", "--Stack:RemoteWrite:Url=https://central.example.org/api/v1/write", "--Stack:RemoteWrite:Username=office"],
                new Dictionary<string, string> { [RemoteWriteOptions.PasswordVariable] = password });

            Assert.True(code == 0, error);
            var secrets = Path.Combine(project, "observability", PrometheusConfigRenderer.SecretsFolder);
            var file = Assert.Single(Directory.GetFiles(secrets));
            Assert.Equal(password, (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Trim());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(secrets)); // owner-only on this host
            Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead), "readable by Prometheus' user through its own mount");
            var compose = await File.ReadAllTextAsync(Path.Combine(project, "docker-compose.yaml"), TestContext.Current.CancellationToken);
            Assert.Contains($"./observability/prometheus-secrets/{Path.GetFileName(file)}:/etc/internet-monitor/prometheus-secrets/{Path.GetFileName(file)}:ro", compose, StringComparison.Ordinal);
            var config = await File.ReadAllTextAsync(Path.Combine(project, "observability", "prometheus", "prometheus.yml"), TestContext.Current.CancellationToken);
            Assert.Contains($"password_file: ../prometheus-secrets/{Path.GetFileName(file)}", config, StringComparison.Ordinal); // /etc/internet-monitor/prometheus/ is its folder
            Assert.Contains("site: \"office\"", config, StringComparison.Ordinal);
            foreach (var text in new[] { compose, config, await File.ReadAllTextAsync(Path.Combine(project, ".env"), TestContext.Current.CancellationToken) })
            {
                Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task A_receivers_secret_reaches_alertmanager_by_its_own_read_only_mount_and_nowhere_else()
    {
        const string url = "https://hooks.slack.example/services/T000/B000/secret-part";
        var project = await PublishedStack.CopyAsync();
        try
        {
            var before = await File.ReadAllTextAsync(Path.Combine(project, "docker-compose.yaml"), TestContext.Current.CancellationToken);
            var (code, _, error) = await PublishedStack.RunAppHostAsync(
                ["publish", "--output", project, "--Alerting:Slack:Enabled=true", "--Alerting:Slack:Channel=#internet"],
                new Dictionary<string, string> { ["INTERNET_MONITOR_SLACK_WEBHOOK_URL"] = url });

            Assert.True(code == 0, error);
            var secrets = Path.Combine(project, "observability", "alertmanager", "secrets");
            var file = Assert.Single(Directory.GetFiles(secrets));
            Assert.Equal(url, (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Trim());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(secrets)); // owner-only on this host
            Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead), "readable by Alertmanager's user through its own mount");
            var inContainer = $"/etc/internet-monitor/alertmanager/secrets/{Path.GetFileName(file)}";
            var compose = await File.ReadAllTextAsync(Path.Combine(project, "docker-compose.yaml"), TestContext.Current.CancellationToken);
            Assert.Contains($"./observability/alertmanager/secrets/{Path.GetFileName(file)}:{inContainer}:ro", compose, StringComparison.Ordinal);
            Assert.Contains($"api_url_file: {inContainer}", await File.ReadAllTextAsync(Path.Combine(project, "observability", "alertmanager", "alertmanager.yml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.NotEqual(Label(before, "alertmanager"), Label(compose, "alertmanager")); // recreated by the next up
            Assert.Equal(Label(before, "prometheus"), Label(compose, "prometheus"));
            foreach (var text in new[] { compose, await File.ReadAllTextAsync(Path.Combine(project, ".env"), TestContext.Current.CancellationToken), await File.ReadAllTextAsync(Path.Combine(project, "observability", "alertmanager", "alertmanager.yml"), TestContext.Current.CancellationToken) })
            {
                Assert.DoesNotContain("secret-part", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Theory]
    [InlineData("publish", "Invalid configuration: publish needs --output DIR, the folder the compose project is written to")]
    [InlineData("publish --output OUT --runtime win-x64", "Invalid configuration: --runtime must be a Linux runtime identifier such as linux-x64 or linux-arm64 (got \"win-x64\")")]
    [InlineData("publish --output OUT --runtime linux-musl-x64", "Invalid configuration: --runtime must be a Linux runtime identifier such as linux-x64 or linux-arm64 (got \"linux-musl-x64\")")]
    [InlineData("publish --output OUT --Stack:Profiles=grafana,kafka", "Cannot publish: Stack:Profiles names kafka, which is not an optional part (they are aspire-dashboard, cadvisor, grafana, loki)")]
    [InlineData("publish --output OUT --Stack:ListenAddress=::1", "Cannot publish: a compose project listens on 127.0.0.1 or 0.0.0.0 (its health checks and Prometheus' targets use 127.0.0.1); Stack:ListenAddress is ::1")]
    [InlineData("publish --output OUT --Monitor:Icmp:Interval=0", "probe: Invalid configuration: Monitor:Icmp:Interval must be between 00:00:00.01 and 00:10:00 (got 00:00:00)")]
    [InlineData("publish --output OUT --mode container", "Invalid configuration: unknown argument --mode: settings are written --Section:Key=value")]
    public async Task A_bad_publish_is_one_message_and_writes_nothing(string arguments, string message)
    {
        var output = Path.Combine(Path.GetTempPath(), "im-never-" + Guid.NewGuid().ToString("N"));

        var (code, _, error) = await PublishedStack.RunAppHostAsync(arguments.Replace("OUT", output, StringComparison.Ordinal).Split(' '));

        Assert.Equal(2, code);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Telegram_in_a_compose_project_needs_an_alertmanager_that_reads_its_token_from_a_file()
    {
        var project = await PublishedStack.CopyAsync();
        try
        {
            var telegram = new[] { "publish", "--output", project, "--Alerting:Telegram:Enabled=true", "--Alerting:Telegram:ChatId=42" };
            var token = new Dictionary<string, string> { ["INTERNET_MONITOR_TELEGRAM_BOT_TOKEN"] = "123:secret-token" };

            // The pinned Alertmanager (0.28) reads it from a file, mounted alone.
            var (code, _, error) = await PublishedStack.RunAppHostAsync(telegram, token);
            Assert.True(code == 0, error);
            Assert.Contains("bot_token_file: /etc/internet-monitor/alertmanager/secrets/", await File.ReadAllTextAsync(Path.Combine(project, "observability", "alertmanager", "alertmanager.yml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);

            // An older one kept in .env would need the token in the configuration, which its container's user could not read.
            await PublishedStack.SetAsync(project, new Dictionary<string, string> { ["ALERTMANAGER_IMAGE"] = "prom/alertmanager:v0.25.0" });
            var (refused, _, why) = await PublishedStack.RunAppHostAsync(telegram, token);
            Assert.Equal(2, refused);
            Assert.StartsWith("Cannot publish: the Telegram receiver needs Alertmanager 0.26 or later in a compose project", why, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-token", why, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task Aspire_publish_from_the_aspire_cli_writes_the_same_project_as_the_apphosts_publish_command()
    {
        var expected = await PublishedStack.CopyAsync();
        var output = Path.Combine(Path.GetTempPath(), "im-aspire-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, text, error) = await PublishedStack.AspirePublishAsync(output);

            Assert.True(code == 0, text + error);
            Assert.Contains("publish-compose", text, StringComparison.Ordinal); // our step, on Aspire's pipeline
            foreach (var file in new[] { "docker-compose.yaml", ".env", "observability/prometheus/targets/internet-monitor.yml", "observability/alertmanager/alertmanager.yml", "probe/Dockerfile" })
            {
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(expected, file), TestContext.Current.CancellationToken),
                    await File.ReadAllTextAsync(Path.Combine(output, file), TestContext.Current.CancellationToken));
            }

            Assert.True(File.Exists(Path.Combine(output, "probe", "app", "InternetMonitor.Probe")));
        }
        finally
        {
            Directory.Delete(expected, recursive: true);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public void The_env_file_is_read_as_compose_reads_it()
    {
        var values = InternetMonitor.AppHost.Publishing.EnvFile.Read(["# a comment", "LISTEN_ADDRESS=\"0.0.0.0\"", "A=b # said here", "B='c # d'", "  C = e", "broken line", "=nothing"]);

        Assert.Equal(new Dictionary<string, string> { ["LISTEN_ADDRESS"] = "0.0.0.0", ["A"] = "b", ["B"] = "c # d", ["C"] = "e" }, values);
    }

    internal static async Task<(int ExitCode, string Output, string Error)> ComposeAsync(string project, params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = project };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COMPOSE_PROFILES");
        using var process = Process.Start(start) ?? throw new LabException("docker-compose did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    internal static Dictionary<string, string> ReadEnv(string project) =>
        InternetMonitor.AppHost.Publishing.EnvFile.Read(File.ReadAllLines(Path.Combine(project, ".env")));

    private static string Label(string compose, string service)
    {
        var labels = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root(compose)["services"])[service])["labels"];
        return Scalar(labels, "internet-monitor.configuration");
    }

    internal static YamlMappingNode Root(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    internal static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    internal static List<string> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? [.. ((YamlSequenceNode)value).Children.Select(child => ((YamlScalarNode)child).Value!)] : [];

    internal static Dictionary<string, string> Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value)
            ? ((YamlMappingNode)value).Children.ToDictionary(pair => pair.Key.ToString(), pair => ((YamlScalarNode)pair.Value).Value ?? string.Empty, StringComparer.Ordinal)
            : [];
}
