using System.Text.RegularExpressions;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// observability/prometheus/ and the central store's observability/central/ checked by the real tools (Debian's promtool):
/// the configurations, the rules, and their unit tests; and, read from the files, that every alert is complete and has a case where it fires and one where it
/// must not.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed partial class PrometheusRulesTests
{
    private static readonly string Folder = Repository.PathOf("observability", "prometheus");

    /// <summary>The central store's own configuration, rules and tests (publish --role central).</summary>
    private static readonly string CentralFolder = Repository.PathOf("observability", "central");

    private static readonly string[] Folders = [Folder, CentralFolder];

    [Fact]
    public async Task The_configuration_and_the_rules_pass_promtool_check()
    {
        var promtool = Prerequisite.RequireProgram("promtool", "prometheus");

        var config = await Command.TryRunAsync(promtool, "check", "config", Path.Combine(Folder, "prometheus.yml"));
        var central = await Command.TryRunAsync(promtool, "check", "config", Path.Combine(CentralFolder, "prometheus", "prometheus.yml"));
        var rules = await Command.TryRunAsync(promtool, ["check", "rules", .. RuleFiles()]);

        Assert.True(config.ExitCode == 0, config.Output + config.Error);
        Assert.Contains("SUCCESS: 3 rule files found", config.Output + config.Error, StringComparison.Ordinal);
        Assert.True(central.ExitCode == 0, central.Output + central.Error);
        Assert.Contains("SUCCESS: 2 rule files found", central.Output + central.Error, StringComparison.Ordinal); // a site's alerts and the central ones, not its recording rules or local ones
        Assert.True(rules.ExitCode == 0, rules.Output + rules.Error);
    }

    [Fact]
    public async Task Every_rule_test_passes_promtool_test_rules()
    {
        var promtool = Prerequisite.RequireProgram("promtool", "prometheus");
        var files = TestFiles().ToArray();

        var result = await Command.TryRunAsync(promtool, ["test", "rules", .. files]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal(files.Length, SuccessLine().Matches(result.Output + result.Error).Count);
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_a_description_and_a_section_in_the_runbooks()
    {
        var runbooks = File.ReadAllText(Repository.PathOf("docs", "runbooks.md"));
        var alerts = Alerts().ToList();

        Assert.True(alerts.Count >= 10, $"only {alerts.Count} alerts");
        Assert.All(alerts, alert =>
        {
            Assert.Contains(Scalar(alert, "labels", "severity"), (string[])["critical", "warning", "info"]);
            Assert.False(string.IsNullOrWhiteSpace(Scalar(alert, "annotations", "summary")), Name(alert));
            Assert.Contains("{{", Scalar(alert, "annotations", "description"), StringComparison.Ordinal); // the values are in it
            Assert.Equal($"docs/runbooks.md#{Name(alert).ToLowerInvariant()}", Scalar(alert, "annotations", "runbook_url"));
            Assert.Contains($"## {Name(alert)}\n", runbooks, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_alert_has_a_test_where_it_fires_and_one_where_it_must_not()
    {
        var fires = new HashSet<string>(StringComparer.Ordinal);
        var silent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in TestFiles())
        {
            foreach (var test in Sequence(Load(file), "tests"))
            {
                foreach (var check in Sequence(test, "alert_rule_test"))
                {
                    var name = ((YamlScalarNode)check[new YamlScalarNode("alertname")]).Value!;
                    (Sequence(check, "exp_alerts").Any() ? fires : silent).Add(name);
                }
            }
        }

        var names = Alerts().Select(Name).ToList();
        Assert.Empty(names.Except(fires));
        Assert.Empty(names.Except(silent));
    }

    /// <summary>
    /// Every rule of the shipped rule files (a site's, and unless <paramref name="central"/> is false the central store's):
    /// its name (the alert or the recorded series) and its expression.
    /// </summary>
    internal static IEnumerable<(string Name, bool IsAlert, string Expression)> Rules(bool central = true) =>
        RuleFiles().Where(file => central || !file.StartsWith(CentralFolder, StringComparison.Ordinal)).SelectMany(file => Sequence(Load(file), "groups"))
            .SelectMany(group => Sequence(group, "rules"))
            .Select(rule => rule.Children.TryGetValue(new YamlScalarNode("alert"), out var alert)
                ? (((YamlScalarNode)alert).Value!, true, ((YamlScalarNode)rule[new YamlScalarNode("expr")]).Value!)
                : (((YamlScalarNode)rule[new YamlScalarNode("record")]).Value!, false, ((YamlScalarNode)rule[new YamlScalarNode("expr")]).Value!));

    private static IEnumerable<string> RuleFiles() => Folders.SelectMany(folder => Directory.GetFiles(Path.Combine(folder, "rules"), "*.yml").Order(StringComparer.Ordinal));

    private static IEnumerable<string> TestFiles() => Folders.SelectMany(folder => Directory.GetFiles(Path.Combine(folder, "tests"), "*.yml").Order(StringComparer.Ordinal));

    private static IEnumerable<YamlMappingNode> Alerts() =>
        RuleFiles().SelectMany(file => Sequence(Load(file), "groups"))
            .SelectMany(group => Sequence(group, "rules"))
            .Where(rule => rule.Children.ContainsKey(new YamlScalarNode("alert")));

    private static string Name(YamlMappingNode alert) => ((YamlScalarNode)alert[new YamlScalarNode("alert")]).Value!;

    private static string Scalar(YamlMappingNode node, string section, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(section), out var child) && child is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? ((YamlScalarNode)value).Value ?? string.Empty
            : string.Empty;

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"^\s*SUCCESS\s*$", RegexOptions.Multiline)]
    private static partial Regex SuccessLine();
}
