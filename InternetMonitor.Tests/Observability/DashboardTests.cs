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

    /// <summary>Each dashboard with the number of panels docs/dashboards.md gives it (rows not counted).</summary>
    public static TheoryData<string, int> Dashboards => new()
    {
        { "containers.json", 12 },
        { "host.json", 17 },
        { "internet.json", 47 },
        { "sites.json", 1 },
    };

    public static TheoryData<string> DashboardFiles => new(Dashboards.Select(row => row.Data.Item1));

    [Fact]
    public void Every_dashboard_file_is_one_the_docs_describe()
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

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void A_dashboard_asks_first_for_all_sites_or_one_and_its_other_variables_only_for_that_site(string file)
    {
        using var document = GrafanaDashboards.Load(Path.Combine(GrafanaDashboards.Folder, file));
        var variables = document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();

        var site = variables[0];
        Assert.Equal("site", site.GetProperty("name").GetString());
        Assert.Equal("query", site.GetProperty("type").GetString());
        Assert.Equal("prometheus", site.GetProperty("datasource").GetProperty("uid").GetString());
        Assert.Equal("label_values(up, site)", site.GetProperty("query").GetProperty("query").GetString());
        Assert.True(site.GetProperty("includeAll").GetBoolean());
        Assert.Equal(".*", site.GetProperty("allValue").GetString()); // site=~".*" also matches series without a site label
        Assert.False(site.GetProperty("multi").GetBoolean());
        Assert.Equal("$__all", site.GetProperty("current").GetProperty("value").GetString());
        Assert.All(variables.Skip(1), variable => Assert.Contains("site=~\"$site\"", variable.GetProperty("query").GetProperty("query").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_selector_of_every_dashboard_query_selects_the_site_variable()
    {
        var queries = PrometheusQueries().Where(query => query.Where != "variable 'site'").ToList();

        Assert.All(queries, query =>
        {
            var (selectors, _) = PromQlScanner.Scan(GrafanaDashboards.PromQl(query.Expression, name => "$" + name));
            Assert.True(selectors.Count > 0, $"no selector found in {query}"); // a scan that finds nothing proves nothing
            Assert.All(selectors, selector => Assert.True(selector.Has("site", "=~", "$site"), $"{query}: {selector} lacks site=~\"$site\""));
        });
    }

    /// <summary>
    /// At a central store, one job and instance may be two sites' probes (each site's compose project has the same
    /// addresses): a sum, mean or vector match without the site would mix them, or find two series where it expects one.
    /// </summary>
    [Fact]
    public void Every_aggregation_and_vector_match_of_a_dashboard_keeps_the_sites_apart()
    {
        var mixing = PrometheusQueries().Where(query => !query.Where.StartsWith("variable ", StringComparison.Ordinal))
            .SelectMany(query => PromQlScanner.Scan(query.Expression).Groupings.Where(grouping => !grouping.KeepsApart("site")).Select(grouping => $"{query.Dashboard} / {query.Where}: {grouping}"))
            .ToList();

        // The one exception: a heatmap needs one series per bucket, so it adds up the selected sites' distributions, as it does their targets'.
        Assert.Equal(["internet / panel 'Round-trip time distribution': by (le)"], mixing);
    }

    [Theory]
    [InlineData("sum by (instance) (rate(a_total{x=\"1\"}[5m])) / on (instance) group_left (cause) b", "a_total{x=\"1\"} b", "by (instance); on (instance)")]
    [InlineData("count(up) > bool 0 or vector(0)", "up", "an aggregation without by")]
    [InlineData("histogram_quantile(0.9, sum(rate(x_bucket{le!=\"\"}[1m])) by (le)) offset 5m", "x_bucket{le!=\"\"}", "by (le)")]
    [InlineData("{__name__=~\"a|b\", site=~\"$site\"} and ignoring (le) d", "{__name__=~\"a|b\", site=~\"$site\"} d", "ignoring (le)")]
    [InlineData("time() - max_over_time((timestamp(c_total{s=\"a,b}\"}))[3h:1m]) * on () group_left e:rate5m", "c_total{s=\"a,b}\"} e:rate5m", "on ()")]
    [InlineData("label_replace(up{job=\"x\"}, \"site\", \"$1\", \"instance\", \"(.*)\") unless topk(1, f)", "up{job=\"x\"} f", "")]
    public void The_selector_scanner_finds_selectors_and_label_lists_not_functions_keywords_strings_or_numbers(string expression, string selectors, string groupings)
    {
        var scan = PromQlScanner.Scan(expression);

        Assert.Equal(selectors, string.Join(" ", scan.Selectors));
        Assert.Equal(groupings, string.Join("; ", scan.Groupings));
    }

    [Fact]
    public void The_sites_table_shows_every_query_as_a_named_column_one_row_per_site_and_links_the_row_to_its_internet_dashboard()
    {
        using var sites = GrafanaDashboards.Load(Path.Combine(GrafanaDashboards.Folder, "sites.json"));
        using var internet = GrafanaDashboards.Load(Path.Combine(GrafanaDashboards.Folder, "internet.json"));
        var table = Assert.Single(GrafanaDashboards.Panels(sites.RootElement));
        var targets = table.GetProperty("targets").EnumerateArray().ToList();
        var transformations = table.GetProperty("transformations").EnumerateArray().ToList();
        var organize = transformations[1].GetProperty("options");
        var names = organize.GetProperty("renameByName").EnumerateObject().ToDictionary(name => name.Name, name => name.Value.GetString());

        Assert.Equal("table", table.GetProperty("type").GetString());
        Assert.Equal(["merge", "organize"], transformations.Select(transformation => transformation.GetProperty("id").GetString()));
        Assert.All(targets, target =>
        {
            Assert.True(target.GetProperty("instant").GetBoolean());
            Assert.Equal("table", target.GetProperty("format").GetString());
            var groupings = PromQlScanner.Scan(target.GetProperty("expr").GetString()!).Groupings.Where(grouping => grouping.Clause == "by").ToList();
            Assert.NotEmpty(groupings);
            Assert.All(groupings, grouping => Assert.Equal(["site"], grouping.Labels)); // the site's label alone: one row per site
        });
        Assert.Equal(["site", .. targets.Select(target => "Value #" + target.GetProperty("refId").GetString())], names.Keys); // Grafana names each query's value column so
        Assert.Equal(names.Keys, organize.GetProperty("indexByName").EnumerateObject().OrderBy(index => index.Value.GetInt32()).Select(index => index.Name));
        Assert.All(table.GetProperty("fieldConfig").GetProperty("overrides").EnumerateArray(), rule =>
            Assert.Contains(rule.GetProperty("matcher").GetProperty("options").GetString(), names.Values)); // no override for a column that is not there
        var link = Assert.Single(table.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("links").EnumerateArray()).GetProperty("url").GetString();
        Assert.StartsWith($"/d/{internet.RootElement.GetProperty("uid").GetString()}/", link, StringComparison.Ordinal);
        Assert.Contains("var-site=${__data.fields.site}", link, StringComparison.Ordinal);
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

    private static IEnumerable<DashboardQuery> PrometheusQueries() =>
        GrafanaDashboards.Files().SelectMany(GrafanaDashboards.Queries).Where(query => query.DataSource == "prometheus");

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
