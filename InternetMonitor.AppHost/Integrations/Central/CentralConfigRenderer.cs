using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.AppHost.Integrations.Central;

/// <summary>
/// Renders the central store's files from observability/central/ and the <c>Central</c> settings: prometheus.yml with the
/// central parts' ports (and, for VictoriaMetrics, its scrape configuration taken from it), and the SiteSilent rule with
/// <c>Central:SiteSilentAfter</c> as its window. The settings are checked here, one sentence per problem.
/// </summary>
public static partial class CentralConfigRenderer
{
    /// <summary>The SiteSilent window as shipped in central/rules/sites.yml, replaced by the setting's.</summary>
    private const string ShippedWindow = "10m";

    /// <summary>Why the <c>Central</c> settings cannot be used, one sentence each (none when they can).</summary>
    public static IReadOnlyList<string> Problems(CentralOptions central, StackPorts ports)
    {
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(ports);
        var problems = new List<string>();
        if (!Enum.IsDefined(central.Store))
        {
            problems.Add($"{Key("Store")} must be prometheus or victoriametrics (got \"{central.Store}\")");
        }

        if (!RetentionPattern().IsMatch(central.Retention) || Duration(central.Retention) is not { } kept || kept < TimeSpan.FromDays(1))
        {
            // Hours, days, weeks or years: the units Prometheus and VictoriaMetrics read alike (VictoriaMetrics keeps a day at least).
            problems.Add($"{Key("Retention")} must be a duration of at least a day in h, d, w or y, such as 400d, 56w or 2y (got \"{central.Retention}\")");
        }

        if (!DurationPattern().IsMatch(central.SiteSilentAfter) || Duration(central.SiteSilentAfter) is not { } silent || silent < TimeSpan.FromMinutes(1) || silent > TimeSpan.FromHours(12))
        {
            // At least four of a site's 15-second scrapes; well inside the day SiteSilent looks back over.
            problems.Add($"{Key("SiteSilentAfter")} must be a duration from 1m to 12h, such as 10m (got \"{central.SiteSilentAfter}\")");
        }

        if (!IPAddress.TryParse(central.GateAddress, out _) || !central.GateAddress.Contains('.', StringComparison.Ordinal) && !central.GateAddress.Contains(':', StringComparison.Ordinal))
        {
            problems.Add($"{Key("GateAddress")} must be an IP address such as 0.0.0.0 (got \"{central.GateAddress}\")");
        }

        var claimed = new (string Name, int Port)[]
        {
            (Key("Ports", "Gate"), central.Ports.Gate), (Key("Ports", "Store"), central.Ports.Store), (Key("Ports", "Rules"), central.Ports.Rules),
            ("Stack:Ports:Alertmanager", ports.Alertmanager), ("Stack:Ports:Grafana", ports.Grafana),
        };
        problems.AddRange(claimed.Where(entry => entry.Port is < 1 or > 65535)
            .Select(entry => string.Create(CultureInfo.InvariantCulture, $"{entry.Name} must be between 1 and 65535 (got {entry.Port})")));
        problems.AddRange(claimed.GroupBy(entry => entry.Port).Where(group => group.Count() > 1)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"port {group.Key} is claimed by {string.Join(" and ", group.Select(entry => entry.Name))}")));
        return problems;
    }

    /// <summary>central/prometheus/prometheus.yml with the ports of this central machine; the rules job only with vmalert.</summary>
    public static string Prometheus(string baseYaml, CentralOptions central, StackPorts ports)
    {
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(ports);
        var (stream, root) = Load(baseYaml);
        var jobs = new Dictionary<string, int>(StringComparer.Ordinal) { ["store"] = central.Ports.Store, ["alertmanager"] = ports.Alertmanager };
        if (central.Store == CentralStore.VictoriaMetrics)
        {
            jobs["rules"] = central.Ports.Rules;
        }

        var scrapes = (YamlSequenceNode)root[new YamlScalarNode("scrape_configs")];
        foreach (var job in scrapes.Children.Cast<YamlMappingNode>().ToList())
        {
            if (jobs.TryGetValue(((YamlScalarNode)job[new YamlScalarNode("job_name")]).Value!, out var port))
            {
                Targets(job, port);
            }
            else
            {
                scrapes.Children.Remove(job);
            }
        }

        var alerting = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)root[new YamlScalarNode("alerting")])[new YamlScalarNode("alertmanagers")]).Children[0];
        Targets(alerting, ports.Alertmanager);
        return YamlFile.Save(stream, "Rendered by the AppHost from observability/central/prometheus/prometheus.yml (whose comments explain each part) and the Central settings: edit those, not this file.");
    }

    /// <summary>VictoriaMetrics' <c>-promscrape.config</c>: the scrape interval and jobs of the rendered <paramref name="prometheusYaml"/>, nothing it would refuse.</summary>
    public static string VictoriaMetricsScrape(string prometheusYaml)
    {
        var (_, root) = Load(prometheusYaml);
        var global = (YamlMappingNode)root[new YamlScalarNode("global")];
        var scrape = new YamlMappingNode(
            new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode("global"), new YamlMappingNode(new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode("scrape_interval"), global[new YamlScalarNode("scrape_interval")]))),
            new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode("scrape_configs"), root[new YamlScalarNode("scrape_configs")]));
        return YamlFile.Save(new YamlStream(new YamlDocument(scrape)), "Rendered by the AppHost from observability/central/prometheus/prometheus.yml: VictoriaMetrics scrapes the central machine's own parts.");
    }

    /// <summary>
    /// prometheus/rules/alerts.yml for vmalert: without <c>keep_firing_for</c>, which Debian's vmalert (1.79) refuses as an
    /// unknown field; there the alerts that keep firing at a site resolve as soon as their expression does.
    /// </summary>
    public static string VmalertRules(string alertsYaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(alertsYaml ?? throw new ArgumentNullException(nameof(alertsYaml))));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var keep = new YamlScalarNode("keep_firing_for");
        foreach (var group in ((YamlSequenceNode)root[new YamlScalarNode("groups")]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group[new YamlScalarNode("rules")]).Cast<YamlMappingNode>())
            {
                rule.Children.Remove(keep);
            }
        }

        return YamlFile.Save(stream, "Rendered by the AppHost from observability/prometheus/rules/alerts.yml for vmalert: keep_firing_for left out (vmalert 1.79 does not know it).");
    }

    /// <summary>central/rules/sites.yml with <c>Central:SiteSilentAfter</c> as SiteSilent's window, in its expression and its words.</summary>
    public static string Sites(string baseYaml, CentralOptions central)
    {
        ArgumentNullException.ThrowIfNull(baseYaml);
        ArgumentNullException.ThrowIfNull(central);
        var words = Words(Duration(central.SiteSilentAfter) ?? TimeSpan.FromMinutes(10), central.SiteSilentAfter);
        return baseYaml
            .Replace($"[{ShippedWindow}]", $"[{central.SiteSilentAfter}]", StringComparison.Ordinal)
            .Replace("10 minutes", words, StringComparison.Ordinal);
    }

    /// <summary>A duration of one unit (Prometheus' form: 90s, 10m, 2h, 1d, 1w, 1y), or null.</summary>
    public static TimeSpan? Duration(string text)
    {
        var match = DurationPattern().Match(text ?? string.Empty);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 100_000)
        {
            return null;
        }

        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(count),
            "s" => TimeSpan.FromSeconds(count),
            "m" => TimeSpan.FromMinutes(count),
            "h" => TimeSpan.FromHours(count),
            "d" => TimeSpan.FromDays(count),
            "w" => TimeSpan.FromDays(count * 7),
            _ => TimeSpan.FromDays(count * 365),
        };
    }

    private static string Words(TimeSpan window, string text) => window switch
    {
        { TotalHours: >= 1 } when window.TotalHours == Math.Floor(window.TotalHours) => Plural((int)window.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when window.TotalMinutes == Math.Floor(window.TotalMinutes) => Plural((int)window.TotalMinutes, "minute"),
        _ => text,
    };

    private static string Plural(int count, string unit) => string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? string.Empty : "s")}");

    private static void Targets(YamlMappingNode job, int port)
    {
        var statics = (YamlSequenceNode)job[new YamlScalarNode("static_configs")];
        ((YamlMappingNode)statics.Children[0]).Children[new YamlScalarNode("targets")] =
            new YamlSequenceNode(new YamlScalarNode(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}")) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
    }

    private static (YamlStream Stream, YamlMappingNode Root) Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (stream, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    private static string Key(params string[] path) => ConfigurationPath.Combine([CentralOptions.Section, .. path]);

    [GeneratedRegex("^[0-9]+(h|d|w|y)$")]
    private static partial Regex RetentionPattern();

    [GeneratedRegex("^([0-9]+)(ms|s|m|h|d|w|y)$")]
    private static partial Regex DurationPattern();
}
