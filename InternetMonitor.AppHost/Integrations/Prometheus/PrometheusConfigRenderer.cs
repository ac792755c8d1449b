using System.Globalization;
using InternetMonitor.AppHost.Stack;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.AppHost.Integrations.Prometheus;

/// <summary>
/// Renders observability/prometheus/prometheus.yml for one site: its name as the <c>site</c> external label, which
/// Prometheus adds to every alert it sends to Alertmanager and every series it sends out (federation, remote write),
/// so that a central store tells the sites apart and one site's alerts are grouped and inhibited apart from another's.
/// </summary>
public static class PrometheusConfigRenderer
{
    public static string Render(string baseYaml, string site)
    {
        ArgumentNullException.ThrowIfNull(baseYaml);
        if (SiteName.Problem(site) is { } problem)
        {
            throw new ArgumentException($"the site {problem}", nameof(site));
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(baseYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var labels = Mapping(Mapping(root, "global"), "external_labels");
        labels.Children[new YamlScalarNode(SiteName.Label)] = new YamlScalarNode(site) { Style = ScalarStyle.DoubleQuoted }; // "1234" stays a string

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine("# Rendered by the AppHost from observability/prometheus/prometheus.yml (whose comments explain each part) and the Stack settings: edit those, not this file.");
        stream.Save(writer, assignAnchors: false);
        return writer.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The mapping under <paramref name="key"/>, made when the file has none.</summary>
    private static YamlMappingNode Mapping(YamlMappingNode parent, string key)
    {
        if (parent.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlMappingNode mapping)
        {
            return mapping;
        }

        mapping = [];
        parent.Children[new YamlScalarNode(key)] = mapping;
        return mapping;
    }
}
