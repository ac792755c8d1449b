using System.Formats.Tar;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;
using static InternetMonitor.Tests.AppHost.PublishTests;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// The compose project <c>publish</c> writes by default, read from what <c>docker-compose config</c> prints, against
/// what a careful operator expects: one behaviour a test, the project published and read once.
/// </summary>
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class PublishedManifestTests(PublishedManifest manifest) : IClassFixture<PublishedManifest>
{
    private static readonly string[] Services = ["probe", "node-exporter", "alertmanager", "cadvisor", "prometheus", "loki", "aspire-dashboard", "grafana"];

    [Fact]
    public void The_project_holds_every_part_with_grafana_loki_and_cadvisor_profiles_on()
    {
        manifest.Require();
        Assert.Equal(Services.Order(StringComparer.Ordinal), manifest.Services.Children.Keys.Select(key => key.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["cadvisor", "grafana", "loki"], manifest.Env["COMPOSE_PROFILES"].Split(',').Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_image_is_pinned_by_version_in_the_env_file_never_latest()
    {
        manifest.Require();
        foreach (var (name, service) in All())
        {
            // The probe's is built here; Microsoft's images are tagged by minor version only.
            var image = Scalar(service, "image");
            Assert.Equal(manifest.Env[name.ToUpperInvariant().Replace('-', '_') + "_IMAGE"], image);
            Assert.Matches(name == "aspire-dashboard" ? @":\d+\.\d+$" : @":v?\d+\.\d+\.\d+$", image);
            Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_service_is_restarted_rotates_its_logs_and_runs_on_the_hosts_network()
    {
        manifest.Require();
        foreach (var (_, service) in All())
        {
            // On the host's network: the probe measures the host's own connection.
            Assert.Equal("unless-stopped", Scalar(service, "restart"));
            Assert.Equal("host", Scalar(service, "network_mode"));
            Assert.Equal("10m", Scalar((YamlMappingNode)((YamlMappingNode)service["logging"])["options"], "max-size"));
        }
    }

    [Fact]
    public void Every_image_that_can_run_a_health_check_has_one()
    {
        manifest.Require();
        foreach (var (name, service) in All())
        {
            Assert.Equal(name != "aspire-dashboard", service.Children.ContainsKey("healthcheck")); // the Aspire dashboard's image is distroless
        }
    }

    [Fact]
    public void No_service_runs_as_root_by_choice_and_only_cadvisor_is_privileged()
    {
        manifest.Require();
        foreach (var (name, service) in All())
        {
            // cAdvisor cannot see containers otherwise; it runs as its image's root.
            Assert.False(service.Children.TryGetValue("user", out var user) && user.ToString() is "0" or "root", $"{name} runs as root");
            Assert.Equal(name == "cadvisor", service.Children.TryGetValue("privileged", out var privileged) && privileged.ToString() == "true");
        }
    }

    [Fact]
    public void Configuration_from_the_project_is_mounted_read_only()
    {
        manifest.Require();
        foreach (var (_, service) in All())
        {
            foreach (var mount in Sequence(service, "volumes").Where(volume => volume.StartsWith(manifest.Project, StringComparison.Ordinal)))
            {
                Assert.EndsWith(":ro", mount, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Nothing_listens_beyond_127_0_0_1_by_default_and_nothing_is_left_uninterpolated()
    {
        manifest.Require();
        foreach (var (_, service) in All())
        {
            var text = string.Join(' ', Sequence(service, "command")) + " " + string.Join(' ', Mapping(service, "environment").Values);
            Assert.DoesNotContain("0.0.0.0", text, StringComparison.Ordinal);
            Assert.DoesNotContain("${", text, StringComparison.Ordinal);
        }

        Assert.Contains("--web.listen-address=127.0.0.1:9090", Sequence(manifest.Service("prometheus"), "command"));
        Assert.Contains("--web.listen-address=127.0.0.1:9093", Sequence(manifest.Service("alertmanager"), "command"));
        Assert.Contains("--web.listen-address=127.0.0.1:9100", Sequence(manifest.Service("node-exporter"), "command"));
        Assert.Contains("-server.http-listen-address=127.0.0.1", Sequence(manifest.Service("loki"), "command"));
    }

    [Fact]
    public void Data_lives_in_named_volumes()
    {
        manifest.Require();
        foreach (var (service, path) in new[] { ("probe", "/var/lib/internet-monitor"), ("prometheus", "/prometheus"), ("alertmanager", "/alertmanager"), ("grafana", "/var/lib/grafana"), ("loki", "/loki") })
        {
            Assert.Contains($"{service}-data:{path}:rw", Sequence(manifest.Service(service), "volumes"));
        }
    }

    [Fact]
    public void The_probe_runs_unprivileged_read_only_and_without_any_capability()
    {
        manifest.Require();
        var probe = manifest.Service("probe");
        Assert.Equal("1654", Scalar(probe, "user"));
        Assert.Equal("true", Scalar(probe, "read_only"));
        Assert.Equal(["ALL"], Sequence(probe, "cap_drop")); // unprivileged ICMP sockets need none
        Assert.Empty(Sequence(probe, "cap_add"));
        Assert.Contains("no-new-privileges:true", Sequence(probe, "security_opt"));
    }

    [Fact]
    public void The_probe_listens_on_loopback_and_sends_its_logs_to_loki_over_otlp()
    {
        manifest.Require();
        var environment = Mapping(manifest.Service("probe"), "environment");
        Assert.Equal("http://127.0.0.1:8000", environment["Urls"]);
        Assert.Equal("http://127.0.0.1:3100/otlp/v1/logs", environment["INTERNET_MONITOR_LOGS_OTLP_ENDPOINT"]);
        Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")); // the Aspire dashboard's profile is off
    }

    [Fact]
    public void The_probe_keeps_its_data_in_its_named_volume_not_in_the_working_directory()
    {
        manifest.Require();
        var probe = manifest.Service("probe");
        Assert.Equal("/var/lib/internet-monitor", Mapping(probe, "environment")["Monitor__DataDirectory"]);
        Assert.Contains("probe-data:/var/lib/internet-monitor:rw", Sequence(probe, "volumes"));
        Assert.False(probe.Children.ContainsKey("working_dir"));
    }

    [Fact]
    public async Task The_probes_image_is_built_on_dotnet_runtime_deps_for_an_unprivileged_user()
    {
        manifest.Require();
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:10.0", manifest.Env["PROBE_BASE_IMAGE"]);
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(manifest.Project, "probe", "Dockerfile"), TestContext.Current.CancellationToken);
        Assert.Contains("ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER 1654", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENV Monitor__DataDirectory=/var/lib/internet-monitor", dockerfile, StringComparison.Ordinal);
        Assert.True(File.GetUnixFileMode(Path.Combine(manifest.Project, "probe", "app", "InternetMonitor.Probe")).HasFlag(UnixFileMode.UserExecute));

        // Nothing runs inside the image while it builds (an arm64 image builds on an x64 machine): its data folder comes
        // from a tar that holds that folder alone, owner-only for the probe's user.
        Assert.DoesNotContain(dockerfile.Split('\n'), line => line.TrimStart().StartsWith("RUN ", StringComparison.Ordinal));
        Assert.Contains("ADD data-folder.tar /", dockerfile, StringComparison.Ordinal);
        var archive = File.OpenRead(Path.Combine(manifest.Project, "probe", "data-folder.tar"));
        await using (archive)
        {
            var reader = new TarReader(archive);
            await using (reader)
            {
                var folder = await reader.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken);
                Assert.NotNull(folder);
                Assert.Equal((TarEntryType.Directory, "var/lib/internet-monitor/", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, 1654, 1654),
                    (folder.EntryType, folder.Name, folder.Mode, folder.Uid, folder.Gid));
                Assert.Null(await reader.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken));
            }
        }
    }

    [Fact]
    public void Grafana_takes_its_password_from_the_env_file_lets_nobody_in_anonymously_and_provisions_the_four_dashboards()
    {
        manifest.Require();
        var grafana = Mapping(manifest.Service("grafana"), "environment");
        Assert.Equal("correct-horse", grafana["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.Equal("false", grafana["GF_AUTH_ANONYMOUS_ENABLED"]);
        Assert.Equal("false", grafana["GF_USERS_ALLOW_SIGN_UP"]);
        Assert.Equal("/etc/internet-monitor/grafana/provisioning", grafana["GF_PATHS_PROVISIONING"]);
        Assert.Contains($"{manifest.Project}/observability/grafana:/etc/internet-monitor/grafana:ro", Sequence(manifest.Service("grafana"), "volumes"));
        Assert.Equal(["containers.json", "host.json", "internet.json", "sites.json"],
            Directory.GetFiles(Path.Combine(manifest.Project, "observability", "grafana", "dashboards")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("http://127.0.0.1:9090", grafana["INTERNET_MONITOR_PROMETHEUS_URL"]);
    }

    [Fact]
    public async Task Prometheus_scrapes_every_part_where_it_listens_cadvisor_included()
    {
        manifest.Require();
        foreach (var (job, port) in new[] { ("internet-monitor", 8000), ("node", 9100), ("alertmanager", 9093), ("prometheus", 9090), ("cadvisor", 8080) })
        {
            Assert.Contains($"[\"127.0.0.1:{port}\"]", await File.ReadAllTextAsync(Path.Combine(manifest.Project, "observability", "prometheus", "targets", job + ".yml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_configured_service_carries_a_digest_of_its_configuration_so_a_new_one_recreates_it()
    {
        manifest.Require();
        foreach (var service in new[] { "prometheus", "alertmanager", "grafana", "loki" })
        {
            Assert.Matches("^[0-9a-f]{16}$", Scalar((YamlMappingNode)manifest.Service(service)["labels"], "internet-monitor.configuration"));
        }
    }

    [Fact]
    public void The_env_file_and_the_compose_file_are_readable_by_their_owner_only()
    {
        manifest.Require();

        // .env may hold a password, docker-compose.yaml a probe's token.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(manifest.Project, ".env")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(manifest.Project, "docker-compose.yaml")));
    }

    private IEnumerable<(string Name, YamlMappingNode Service)> All() =>
        manifest.Services.Children.Select(pair => (pair.Key.ToString(), (YamlMappingNode)pair.Value));
}
