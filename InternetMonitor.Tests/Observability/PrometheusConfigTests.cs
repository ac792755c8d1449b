using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// observability/prometheus/prometheus.yml as the AppHost renders it for one site: the site's name as its <c>site</c>
/// external label, the remote write to a central store with its credentials in files, everything else as shipped
/// (promtool checks a rendered file in RenderCommandTests, a real Prometheus writes with it in RemoteWriteTests).
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class PrometheusConfigTests
{
    private static readonly string Shipped = File.ReadAllText(Repository.PathOf("observability", "prometheus", "prometheus.yml"));
    private static readonly SecretReader NoVariables = new(_ => null);

    [Theory]
    [InlineData("office")]
    [InlineData("Flat-2.b_north")]
    [InlineData("1234")]
    public void The_site_becomes_the_site_external_label_as_a_string(string site)
    {
        var rendered = Load(Render(Shipped, site));

        var labels = (YamlMappingNode)((YamlMappingNode)rendered["global"])["external_labels"];
        var label = (YamlScalarNode)labels["site"];
        Assert.Equal(site, label.Value);
        Assert.Equal(YamlDotNet.Core.ScalarStyle.DoubleQuoted, label.Style); // 1234 is a label value, not a number
    }

    [Fact]
    public void Everything_else_is_as_shipped()
    {
        var shipped = Load(Shipped);
        var rendered = Load(Render(Shipped, "office"));

        Assert.Equal(Jobs(shipped), Jobs(rendered));
        Assert.Equal(Scalar(shipped, "global", "scrape_interval"), Scalar(rendered, "global", "scrape_interval"));
        Assert.Equal(Scalar(shipped, "global", "evaluation_interval"), Scalar(rendered, "global", "evaluation_interval"));
        Assert.Equal(["rules/*.yml"], ((YamlSequenceNode)rendered["rule_files"]).Children.Select(node => ((YamlScalarNode)node).Value));
        Assert.True(rendered.Children.ContainsKey("alerting"));
        Assert.False(rendered.Children.ContainsKey("remote_write")); // off unless Stack:RemoteWrite:Url is set
    }

    [Fact]
    public void A_file_without_external_labels_gets_them()
    {
        var rendered = Load(Render("scrape_configs: []\n", "office"));

        Assert.Equal("office", Scalar((YamlMappingNode)rendered["global"], "external_labels", "site"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("my house")]
    [InlineData("-home")]
    [InlineData("home\"")]
    [InlineData("zuhause-ä")]
    public void A_name_that_is_not_a_site_name_is_refused(string site)
    {
        Assert.NotNull(SiteName.Problem(site));
        var refused = PrometheusConfigRenderer.Render(Shipped, site, new RemoteWriteOptions(), NoVariables);
        Assert.Equal($"Stack:Site {SiteName.Problem(site)}", Assert.Single(refused.Errors));
        Assert.Contains($"(got \"{site}\")", refused.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_three_characters_are_a_name_and_sixty_four_are_not()
    {
        Assert.Null(SiteName.Problem(new string('a', 63)));
        Assert.NotNull(SiteName.Problem(new string('a', 64)));
        Assert.NotNull(SiteName.Problem(null));
    }

    [Fact]
    public void Remote_write_with_basic_authentication_names_the_password_file_and_never_holds_the_password()
    {
        var variables = new Dictionary<string, string> { [RemoteWriteOptions.PasswordVariable] = "s3cret-password" };
        var rendering = PrometheusConfigRenderer.Render(Shipped, "office",
            new RemoteWriteOptions { Url = "https://central.example.org:9090/api/v1/write", Username = "office" }, new SecretReader(variables.GetValueOrDefault));

        Assert.Empty(rendering.Errors);
        Assert.DoesNotContain("s3cret-password", rendering.Yaml, StringComparison.Ordinal);
        Assert.Equal("s3cret-password", rendering.SecretFiles["prometheus-secrets/remote-write-password"]);
        var remote = RemoteWrite(rendering.Yaml);
        Assert.Equal("https://central.example.org:9090/api/v1/write", Scalar(remote, "url"));
        Assert.Equal("central", Scalar(remote, "name"));
        Assert.Equal("office", Scalar(remote, "basic_auth", "username"));
        Assert.Equal("../prometheus-secrets/remote-write-password", Scalar(remote, "basic_auth", "password_file")); // relative to prometheus.yml
        Assert.False(remote.Children.ContainsKey("authorization"));
        Assert.Equal(("10000", "4", "2000"), (Scalar(remote, "queue_config", "capacity"), Scalar(remote, "queue_config", "max_shards"), Scalar(remote, "queue_config", "max_samples_per_send")));
    }

    [Fact]
    public void Remote_write_with_a_bearer_token_and_a_private_ca_names_their_files()
    {
        var folder = Directory.CreateTempSubdirectory("im-remote-").FullName;
        try
        {
            var token = Path.Combine(folder, "token");
            var ca = Path.Combine(folder, "ca.pem");
            File.WriteAllText(token, "tok-123\n");
            File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
            var rendering = PrometheusConfigRenderer.Render(Shipped, "office",
                new RemoteWriteOptions { Url = "https://central.example.org/api/v1/write", BearerTokenFile = token, CaFile = ca, MaxShards = 1 }, NoVariables);

            Assert.Empty(rendering.Errors);
            var remote = RemoteWrite(rendering.Yaml);
            Assert.Equal("Bearer", Scalar(remote, "authorization", "type"));
            Assert.Equal("../prometheus-secrets/remote-write-token", Scalar(remote, "authorization", "credentials_file"));
            Assert.Equal("../prometheus-secrets/remote-write-ca.pem", Scalar(remote, "tls_config", "ca_file"));
            Assert.Equal("1", Scalar(remote, "queue_config", "max_shards"));
            Assert.Equal("tok-123", rendering.SecretFiles["prometheus-secrets/remote-write-token"]); // trimmed of its line break
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", rendering.SecretFiles["prometheus-secrets/remote-write-ca.pem"], StringComparison.Ordinal);
            Assert.DoesNotContain("tok-123", rendering.Yaml, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("ftp://central.example.org/write", "", "", "Stack:RemoteWrite:Url must be an absolute http or https URL without a user or password in it")]
    [InlineData("https://office:pw@central.example.org/api/v1/write", "", "", "Stack:RemoteWrite:Url must be an absolute http or https URL without a user or password in it")]
    [InlineData("central.example.org", "", "", "Stack:RemoteWrite:Url must be an absolute http or https URL")]
    [InlineData("https://central.example.org/api/v1/write", "office", "", "Stack:RemoteWrite:Username is set, so a password is needed: Stack:RemoteWrite:PasswordFile or INTERNET_MONITOR_REMOTE_WRITE_PASSWORD")]
    [InlineData("https://central.example.org/api/v1/write", "", "/nonexistent/token", "Stack:RemoteWrite:BearerTokenFile names /nonexistent/token, which cannot be read")]
    public void Bad_remote_write_settings_are_refused_with_one_clear_line(string url, string username, string tokenFile, string expected)
    {
        var rendering = PrometheusConfigRenderer.Render(Shipped, "office", new RemoteWriteOptions { Url = url, Username = username, BearerTokenFile = tokenFile }, NoVariables);

        Assert.StartsWith(expected, Assert.Single(rendering.Errors), StringComparison.Ordinal);
        Assert.Empty(rendering.Yaml);
    }

    [Fact]
    public void A_token_and_a_password_together_and_queue_settings_out_of_range_are_each_refused()
    {
        var variables = new Dictionary<string, string> { [RemoteWriteOptions.BearerTokenVariable] = "tok-9f3a", [RemoteWriteOptions.PasswordVariable] = "pw-77c1" };
        var rendering = PrometheusConfigRenderer.Render(Shipped, "office",
            new RemoteWriteOptions { Url = "https://central.example.org/api/v1/write", Username = "office", MaxShards = 0, MaxSamplesPerSend = 50, Capacity = 10 },
            new SecretReader(variables.GetValueOrDefault));

        Assert.Equal(
            [
                "Stack:RemoteWrite:BearerTokenFile and Stack:RemoteWrite:Username exclude each other: the store takes a bearer token or basic authentication",
                "Stack:RemoteWrite:MaxShards must be between 1 and 200 (got 0)",
                "Stack:RemoteWrite:MaxSamplesPerSend must be between 100 and 100000 (got 50)",
                "Stack:RemoteWrite:Capacity must be between 100 and 1000000 (got 10)",
            ],
            rendering.Errors);
        Assert.All(rendering.Errors, error => Assert.False(error.Contains("tok-9f3a", StringComparison.Ordinal) || error.Contains("pw-77c1", StringComparison.Ordinal), error));
    }

    private static string Render(string yaml, string site)
    {
        var rendering = PrometheusConfigRenderer.Render(yaml, site, new RemoteWriteOptions(), NoVariables);
        Assert.Empty(rendering.Errors);
        return rendering.Yaml;
    }

    private static YamlMappingNode RemoteWrite(string yaml) => (YamlMappingNode)Assert.Single(((YamlSequenceNode)Load(yaml)["remote_write"]).Children);

    private static string? Scalar(YamlMappingNode map, params string[] path)
    {
        YamlNode node = map;
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }

        return ((YamlScalarNode)node).Value;
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string?[] Jobs(YamlMappingNode root) =>
        [.. ((YamlSequenceNode)root["scrape_configs"]).Children.Cast<YamlMappingNode>().Select(job => ((YamlScalarNode)job["job_name"]).Value)];

}
