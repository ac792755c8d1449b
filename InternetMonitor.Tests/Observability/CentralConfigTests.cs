using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// The central machine's configuration rendered from the <c>Central</c> settings: the gate's users (one per site, the
/// write path alone, secrets only in its secret file), the store's prometheus.yml and VictoriaMetrics' scrape file, the
/// SiteSilent window, and a clear line for each bad setting.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class CentralConfigTests : IDisposable
{
    private static readonly Uri Store = new("http://127.0.0.1:9090/");
    private readonly string _folder = Directory.CreateTempSubdirectory("im-central-config-").FullName;

    [Fact]
    public void Each_site_is_a_user_of_the_gate_allowed_the_write_path_alone()
    {
        var central = Central(("home", Password("home-secret")), ("office", Token("office-token")));

        var (files, errors) = GateConfigRenderer.Render(central, Store, new SecretReader(_ => null));

        Assert.Empty(errors);
        var users = Users(files[$"{CentralBuilderExtensions.SecretsFolder}/{GateConfigRenderer.AuthFile}"]);
        Assert.Equal(2, users.Count);
        var home = users.Single(user => user.Children.ContainsKey(new YamlScalarNode("username")));
        Assert.Equal("home", Scalar(home, "username"));
        Assert.Equal("home-secret", Scalar(home, "password"));
        Assert.Equal("office-token", Scalar(users.Single(user => user != home), "bearer_token"));
        Assert.All(users, user =>
        {
            var route = (YamlMappingNode)((YamlSequenceNode)user[new YamlScalarNode("url_map")]).Children.Single();
            Assert.Equal(GateConfigRenderer.WritePath, ((YamlScalarNode)((YamlSequenceNode)route[new YamlScalarNode("src_paths")]).Children.Single()).Value);
            Assert.Equal("http://127.0.0.1:9090", Scalar(route, "url_prefix"));
        });
    }

    [Fact]
    public void The_certificate_and_key_are_copied_beside_the_users()
    {
        var (_, certificate, key) = TestCertificates.PrivateAuthority();
        var central = Central(("home", Password("home-secret")));
        central.TlsCertFile = Write("gate.pem", certificate);
        central.TlsKeyFile = Write("gate-key.pem", key);

        var (files, errors) = GateConfigRenderer.Render(central, Store, new SecretReader(_ => null));

        Assert.Empty(errors);
        Assert.Equal(certificate.TrimEnd() + "\n", files[$"{CentralBuilderExtensions.SecretsFolder}/{GateConfigRenderer.CertificateFile}"]);
        Assert.Equal(key.TrimEnd() + "\n", files[$"{CentralBuilderExtensions.SecretsFolder}/{GateConfigRenderer.KeyFile}"]);
    }

    [Fact]
    public void Bad_sites_and_certificates_are_refused_one_line_each_without_a_secret()
    {
        var central = Central(
            ("home", new CentralSiteOptions { PasswordFile = Write("home.pw", "home-secret"), TokenFile = Write("home.tok", "home-token") }),
            ("office", new CentralSiteOptions()),
            ("flat", Token("same-token")),
            ("aunt", Token("same-token")),
            ("bad site", Password("x")),
            ("gone", new CentralSiteOptions { PasswordFile = Path.Combine(_folder, "missing") }));
        central.TlsCertFile = Write("not-a-certificate.pem", "hello");

        var (files, errors) = GateConfigRenderer.Render(central, Store, new SecretReader(_ => null));

        Assert.Empty(files);
        Assert.Contains(errors, error => error.StartsWith("Central:TlsCertFile and Central:TlsKeyFile go together", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("Central:Sites:home has both PasswordFile and TokenFile", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("Central:Sites:office needs PasswordFile", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("Central:Sites:flat has the same token as Central:Sites:aunt", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("Central:Sites:bad site names a site that must be 1 to 63", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("Central:Sites:gone:PasswordFile names", StringComparison.Ordinal) && error.Contains("cannot be read", StringComparison.Ordinal));
        Assert.Equal(6, errors.Count);
        Assert.All(errors, error => Assert.DoesNotContain("same-token", error, StringComparison.Ordinal));
        Assert.All(errors, error => Assert.DoesNotContain("home-secret", error, StringComparison.Ordinal));
    }

    [Fact]
    public void No_site_at_all_is_refused()
    {
        var (_, errors) = GateConfigRenderer.Render(new CentralOptions(), Store, new SecretReader(_ => null));

        Assert.StartsWith("Central:Sites names no site", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_file_without_a_certificate_and_a_key_file_without_a_key_are_refused()
    {
        var (_, certificate, _) = TestCertificates.PrivateAuthority();
        var central = Central(("home", Password("home-secret")));
        central.TlsCertFile = Write("key-instead.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        central.TlsKeyFile = Write("certificate-instead.pem", certificate);

        var (_, errors) = GateConfigRenderer.Render(central, Store, new SecretReader(_ => null));

        Assert.Contains("holds no PEM certificate", Assert.Single(errors), StringComparison.Ordinal); // the key is read only once the certificate is one
    }

    [Theory]
    [InlineData(CentralStore.Prometheus, new[] { "store", "alertmanager" })]
    [InlineData(CentralStore.VictoriaMetrics, new[] { "store", "alertmanager", "rules" })]
    public void The_store_scrapes_the_central_parts_on_their_ports(CentralStore store, string[] jobs)
    {
        var central = new CentralOptions { Store = store, Ports = { Store = 19090, Rules = 18880 } };
        var ports = new StackPorts { Alertmanager = 19093 };

        var yaml = CentralConfigRenderer.Prometheus(Shipped("central/prometheus/prometheus.yml"), central, ports);

        var root = Load(yaml);
        var scrapes = ((YamlSequenceNode)root[new YamlScalarNode("scrape_configs")]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(jobs, scrapes.Select(job => Scalar(job, "job_name")));
        Assert.Equal(new[] { "127.0.0.1:19090", "127.0.0.1:19093", "127.0.0.1:18880" }[..jobs.Length], scrapes.Select(Target));
        Assert.Contains("- \"127.0.0.1:19093\"", yaml[yaml.IndexOf("alerting:", StringComparison.Ordinal)..yaml.IndexOf("scrape_configs:", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("out_of_order_time_window: 8h", yaml, StringComparison.Ordinal);

        var scrape = Load(CentralConfigRenderer.VictoriaMetricsScrape(yaml));
        Assert.Equal(["global", "scrape_configs"], scrape.Children.Keys.Select(key => ((YamlScalarNode)key).Value));
        Assert.Equal(jobs.Length, ((YamlSequenceNode)scrape[new YamlScalarNode("scrape_configs")]).Children.Count);
    }

    [Fact]
    public void Vmalert_gets_every_alert_without_keep_firing_for()
    {
        var shipped = Shipped("prometheus/rules/alerts.yml");
        Assert.Contains("keep_firing_for: 2m", shipped, StringComparison.Ordinal);

        var rendered = CentralConfigRenderer.VmalertRules(shipped);

        Assert.DoesNotContain("keep_firing_for:", rendered, StringComparison.Ordinal);
        Assert.Equal(Alerts(shipped), Alerts(rendered));
    }

    [Theory]
    [InlineData("10m", "[10m]", "10 minutes")]
    [InlineData("1m", "[1m]", "1 minute")]
    [InlineData("2h", "[2h]", "2 hours")]
    [InlineData("90s", "[90s]", "90s")]
    public void SiteSilent_waits_for_the_window_set(string window, string range, string words)
    {
        var rules = CentralConfigRenderer.Sites(Shipped("central/rules/sites.yml"), new CentralOptions { SiteSilentAfter = window });

        Assert.Contains($"count_over_time(up{{site!=\"\"}}{range})", rules, StringComparison.Ordinal);
        Assert.Contains("count_over_time(up{site!=\"\"}[1d])", rules, StringComparison.Ordinal);
        Assert.Contains($"has sent nothing for {words}", rules, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Retention", "5m", "Central:Retention must be a duration of at least a day")]
    [InlineData("Retention", "400", "Central:Retention must be a duration of at least a day")]
    [InlineData("SiteSilentAfter", "30s", "Central:SiteSilentAfter must be a duration from 1m to 12h")]
    [InlineData("SiteSilentAfter", "2d", "Central:SiteSilentAfter must be a duration from 1m to 12h")]
    [InlineData("SiteSilentAfter", "ten", "Central:SiteSilentAfter must be a duration from 1m to 12h")]
    [InlineData("GateAddress", "central.example.org", "Central:GateAddress must be an IP address")]
    [InlineData("Gate", "70000", "Central:Ports:Gate must be between 1 and 65535")]
    [InlineData("Gate", "3000", "port 3000 is claimed by Central:Ports:Gate and Stack:Ports:Grafana")]
    public void A_bad_central_setting_is_one_clear_line(string key, string value, string expected)
    {
        var central = new CentralOptions();
        switch (key)
        {
            case "Retention": central.Retention = value; break;
            case "SiteSilentAfter": central.SiteSilentAfter = value; break;
            case "GateAddress": central.GateAddress = value; break;
            default: central.Ports.Gate = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        Assert.StartsWith(expected, Assert.Single(CentralConfigRenderer.Problems(central, new StackPorts())), StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_a_valid_central_machine()
    {
        Assert.Empty(CentralConfigRenderer.Problems(new CentralOptions(), new StackPorts()));
    }

    [Fact]
    public void The_central_alertmanager_has_no_alert_log_and_keeps_the_receivers()
    {
        var alerting = new AlertingOptions { Webhook = { Enabled = true, Url = new Uri("http://127.0.0.1:9999/hook") } };

        var rendering = AlertmanagerConfigRenderer.Render(Shipped("alertmanager/alertmanager.yml"), alerting, new(AlertmanagerTarget.Debian12, "/etc/am"), new SecretReader(_ => null), alertLog: false);

        Assert.Empty(rendering.Errors);
        Assert.DoesNotContain("/api/alerts", rendering.Yaml, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9999/hook", rendering.Yaml, StringComparison.Ordinal);
        Assert.Contains("alertname=\"SiteSilent\"", rendering.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_under_a_site_is_refused()
    {
        var configuration = StackSettings.Build(["--Central:Sites:home:PasswordFil=/x"]);

        var (options, errors) = StackSettings.Bind<CentralOptions>(configuration, CentralOptions.Section);

        Assert.Null(options);
        Assert.Equal("Central:Sites:home:PasswordFil is not a known setting (known: PasswordFile, TokenFile)", Assert.Single(errors));
    }

    [Fact]
    public void Sites_bind_by_name()
    {
        var configuration = StackSettings.Build(["--Central:Sites:home:PasswordFile=/a", "--Central:Sites:office:TokenFile=/b", "--Central:Store=victoriametrics"]);

        var (options, errors) = StackSettings.Bind<CentralOptions>(configuration, CentralOptions.Section);

        Assert.Empty(errors);
        Assert.Equal(CentralStore.VictoriaMetrics, options!.Store);
        Assert.Equal("/a", options.Sites["home"].PasswordFile);
        Assert.Equal("/b", options.Sites["office"].TokenFile);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Shipped(string relative) => File.ReadAllText(Repository.PathOf(["observability", .. relative.Split('/')]));

    private CentralOptions Central(params (string Site, CentralSiteOptions Credential)[] sites)
    {
        var central = new CentralOptions();
        foreach (var (site, credential) in sites)
        {
            central.Sites[site] = credential;
        }

        return central;
    }

    private CentralSiteOptions Password(string value) => new() { PasswordFile = Write(Guid.NewGuid().ToString("N"), value + "\n") };

    private CentralSiteOptions Token(string value) => new() { TokenFile = Write(Guid.NewGuid().ToString("N"), value + "\n") };

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<YamlMappingNode> Users(string yaml) =>
        [.. ((YamlSequenceNode)Load(yaml)[new YamlScalarNode("users")]).Children.Cast<YamlMappingNode>()];

    private static string Target(YamlMappingNode job) =>
        ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)job[new YamlScalarNode("static_configs")]).Children[0])[new YamlScalarNode("targets")]).Children[0]).Value!;

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[new YamlScalarNode(key)]).Value!;

    /// <summary>Each alert's name, expression and <c>for</c>, in order.</summary>
    private static List<string> Alerts(string rules) =>
        [.. ((YamlSequenceNode)Load(rules)[new YamlScalarNode("groups")]).Cast<YamlMappingNode>()
            .SelectMany(group => ((YamlSequenceNode)group[new YamlScalarNode("rules")]).Cast<YamlMappingNode>())
            .Select(rule => string.Join(" | ", new[] { "alert", "expr", "for" }.Select(key => rule.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : "")))];

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
