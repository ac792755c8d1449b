using System.Text.RegularExpressions;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// observability/loki/loki.yml, read as Loki 3 reads it with <c>-config.expand-env=true</c> (Loki itself cannot be
/// installed here): retention on and enforceable, OTLP ingestion possible, the probe's resource attributes as labels.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed partial class LokiConfigTests
{
    private static readonly string File = Repository.PathOf("observability", "loki", "loki.yml");

    [Fact]
    public void Every_dollar_is_a_variable_with_a_default_because_loki_expands_them_in_comments_too()
    {
        var text = System.IO.File.ReadAllText(File);

        var dollars = text.Count(c => c == '$');
        var variables = Variable().Matches(text).Count;

        Assert.True(dollars > 0);
        Assert.Equal(dollars, variables);
    }

    [Fact]
    public void Retention_is_on_with_what_the_compactor_needs_to_apply_it()
    {
        var root = Load();

        Assert.Equal("true", Scalar(root, "compactor", "retention_enabled"));
        Assert.Equal("filesystem", Scalar(root, "compactor", "delete_request_store"));
        Assert.Equal("720h", Scalar(root, "limits_config", "retention_period"));
        var schema = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)root["schema_config"])["configs"]).Children.Single();
        Assert.Equal("tsdb", ((YamlScalarNode)schema["store"]).Value);
        Assert.Equal("v13", ((YamlScalarNode)schema["schema"]).Value);
        Assert.Equal("24h", ((YamlScalarNode)((YamlMappingNode)schema["index"])["period"]).Value);
    }

    [Fact]
    public void Otlp_logs_are_accepted_and_the_probes_service_host_and_site_become_labels()
    {
        var root = Load();

        Assert.Equal("false", ((YamlScalarNode)root["auth_enabled"]).Value);
        Assert.Equal("3100", Scalar(root, "server", "http_listen_port"));
        Assert.Equal("true", Scalar(root, "limits_config", "allow_structured_metadata"));
        var resource = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)root["limits_config"])["otlp_config"])["resource_attributes"];
        var labels = ((YamlSequenceNode)resource["attributes_config"]).Children.Cast<YamlMappingNode>()
            .Where(rule => ((YamlScalarNode)rule["action"]).Value == "index_label")
            .SelectMany(rule => ((YamlSequenceNode)rule["attributes"]).Children.Select(node => ((YamlScalarNode)node).Value))
            .ToList();
        Assert.Contains("service.name", labels);
        Assert.Contains("host.name", labels);
        Assert.Contains("site", labels); // one site's logs among several, as its series carry the site label
        Assert.DoesNotContain("service.instance.id", labels); // one stream per restart would be a cardinality leak
    }

    /// <summary>The file as Loki sees it when no variable is set: every <c>${NAME:-default}</c> is its default.</summary>
    private static YamlMappingNode Load()
    {
        var expanded = Variable().Replace(System.IO.File.ReadAllText(File), match => match.Groups["default"].Value);
        var stream = new YamlStream();
        stream.Load(new StringReader(expanded));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode root, string section, string key) =>
        ((YamlScalarNode)((YamlMappingNode)root[section])[key]).Value;

    [GeneratedRegex(@"\$\{(?<name>[A-Z_][A-Z0-9_]*):-(?<default>[^}]*)\}")]
    private static partial Regex Variable();
}
