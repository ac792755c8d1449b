using System.Globalization;
using System.Text;
using System.Text.Json;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// observability/grafana/ as Grafana would load it (Grafana cannot be installed here): provisioning that names the
/// data sources by uid and finds the dashboards, dashboards in the current schema whose every panel asks a provisioned
/// data source, and every PromQL expression of the dashboards, the rules and the old project's queries accepted by
/// promtool.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class DashboardTests
{
    private static readonly string Provisioning = Repository.PathOf("observability", "grafana", "provisioning");

    /// <summary>Each dashboard with the number of panels the README gives it (rows not counted).</summary>
    public static TheoryData<string, int> Dashboards => new()
    {
        { "containers.json", 12 },
        { "host.json", 17 },
        { "internet.json", 47 },
    };

    [Fact]
    public void Every_dashboard_file_is_one_the_readme_describes()
    {
        Assert.Equal(Dashboards.Select(row => row.Data.Item1), GrafanaDashboards.Files().Select(Path.GetFileName));
    }

    /// <summary>cAdvisor's metrics (containers) have no source on this machine: their queries are checked for syntax only.</summary>
    public static bool IsCadvisor(DashboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Expression.Contains("container_", StringComparison.Ordinal) || query.Expression.Contains("job=\"cadvisor\"", StringComparison.Ordinal);
    }

    /// <summary>Temperatures come from hardware sensors (a Raspberry Pi has one); this build machine, a virtual one, has none.</summary>
    public static bool NeedsSensors(DashboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Expression.Contains("node_hwmon_temp", StringComparison.Ordinal) || query.Expression.Contains("node_thermal_zone_temp", StringComparison.Ordinal);
    }

    /// <summary>
    /// Series that exist only once something went wrong (a lost echo, a failed speed test, an outage in progress): on
    /// a healthy loopback these panels rightly say "none"; they are evaluated, not expected to return data.
    /// </summary>
    public static bool ShowsTroubleOnly(DashboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ((string[])["internet_monitor_ping_failures_total", "internet_monitor_speedtest_failures_total", "internet_monitor_outage_active"])
            .Any(name => query.Expression.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public void The_data_sources_are_provisioned_with_fixed_uids_and_urls_from_the_environment()
    {
        var sources = Sequence(LoadYaml(Path.Combine(Provisioning, "datasources", "datasources.yml")), "datasources")
            .ToDictionary(source => Scalar(source, "uid"), source => (Type: Scalar(source, "type"), Url: Scalar(source, "url")));

        Assert.Equal(["alertmanager", "loki", "prometheus"], sources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("prometheus", sources["prometheus"].Type);
        Assert.Equal("loki", sources["loki"].Type);
        Assert.Equal("alertmanager", sources["alertmanager"].Type);
        Assert.All(sources.Values, source => Assert.StartsWith("$", source.Url, StringComparison.Ordinal));
    }

    [Fact]
    public void One_provider_loads_the_dashboards_folder()
    {
        var providers = Sequence(LoadYaml(Path.Combine(Provisioning, "dashboards", "dashboards.yml")), "providers").ToList();

        var provider = Assert.Single(providers);
        Assert.Equal("file", Scalar(provider, "type"));
        Assert.Equal("Internet Monitor", Scalar(provider, "folder"));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void A_dashboard_is_in_the_current_schema_and_every_panel_asks_a_provisioned_data_source(string file, int panelCount)
    {
        using var document = GrafanaDashboards.Load(Path.Combine(GrafanaDashboards.Folder, file));
        var root = document.RootElement;

        Assert.False(root.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null, "a provisioned dashboard has no id");
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        Assert.True(root.GetProperty("schemaVersion").GetInt32() >= 39, "current schema");
        var panels = GrafanaDashboards.Panels(root).ToList();
        Assert.Equal(panelCount, panels.Count);
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.DoesNotContain("example", title, StringComparison.OrdinalIgnoreCase);
            if (panel.GetProperty("type").GetString() == "text")
            {
                continue;
            }

            var source = panel.GetProperty("datasource");
            Assert.Contains(source.GetProperty("uid").GetString(), (string[])["prometheus", "loki", "alertmanager", "-- Grafana --", "grafana"]);
        }

        Assert.All(GrafanaDashboards.Queries(Path.Combine(GrafanaDashboards.Folder, file)), query =>
            Assert.Contains(query.DataSource, (string[])["prometheus", "loki", "alertmanager"]));
    }

    [Fact]
    public async Task Every_promql_expression_of_the_dashboards_the_rules_and_the_old_queries_passes_promtool()
    {
        var promtool = Prerequisite.RequireProgram("promtool", "prometheus");
        var expressions = GrafanaDashboards.Files().SelectMany(GrafanaDashboards.Queries)
            .Where(query => query.DataSource == "prometheus")
            .Select(query => (What: query.ToString(), PromQl: GrafanaDashboards.PromQl(query.Expression)))
            .Concat(PrometheusRulesTests.Rules().Select(rule => (What: rule.Name, PromQl: rule.Expression)))
            .Concat(LegacyQueries.All.Select(query => (What: "old project: " + query, PromQl: query)))
            .ToList();
        var file = Path.Combine(Directory.CreateTempSubdirectory("im-promql-").FullName, "expressions.yml");
        var yaml = new StringBuilder("groups:\n  - name: every-expression\n    rules:\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      - record: expression_{i}\n        expr: {JsonSerializer.Serialize(expressions[i].PromQl)}\n");
        }

        try
        {
            await File.WriteAllTextAsync(file, yaml.ToString(), TestContext.Current.CancellationToken);
            var result = await Command.TryRunAsync(promtool, "check", "rules", file);

            Assert.True(result.ExitCode == 0, result.Output + result.Error + "\n" + string.Join("\n", expressions.Select((e, i) => $"expression_{i}: {e.What}")));
            Assert.Contains($"SUCCESS: {expressions.Count} rules found", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static YamlMappingNode LoadYaml(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode node, string key) =>
        ((YamlSequenceNode)node[new YamlScalarNode(key)]).Children.Cast<YamlMappingNode>();

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? string.Empty : string.Empty;
}
