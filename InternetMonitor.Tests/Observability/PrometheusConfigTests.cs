using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// observability/prometheus/prometheus.yml as the AppHost renders it for one site: the site's name as its <c>site</c>
/// external label, everything else as shipped (promtool checks the rendered file in RenderCommandTests).
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class PrometheusConfigTests
{
    private static readonly string Shipped = File.ReadAllText(Repository.PathOf("observability", "prometheus", "prometheus.yml"));

    [Theory]
    [InlineData("office")]
    [InlineData("Flat-2.b_north")]
    [InlineData("1234")]
    public void The_site_becomes_the_site_external_label_as_a_string(string site)
    {
        var rendered = Load(PrometheusConfigRenderer.Render(Shipped, site));

        var labels = (YamlMappingNode)((YamlMappingNode)rendered["global"])["external_labels"];
        var label = (YamlScalarNode)labels["site"];
        Assert.Equal(site, label.Value);
        Assert.Equal(YamlDotNet.Core.ScalarStyle.DoubleQuoted, label.Style); // 1234 is a label value, not a number
    }

    [Fact]
    public void Everything_else_is_as_shipped()
    {
        var shipped = Load(Shipped);
        var rendered = Load(PrometheusConfigRenderer.Render(Shipped, "office"));

        Assert.Equal(Jobs(shipped), Jobs(rendered));
        Assert.Equal(Scalar(shipped, "global", "scrape_interval"), Scalar(rendered, "global", "scrape_interval"));
        Assert.Equal(Scalar(shipped, "global", "evaluation_interval"), Scalar(rendered, "global", "evaluation_interval"));
        Assert.Equal(["rules/*.yml"], ((YamlSequenceNode)rendered["rule_files"]).Children.Select(node => ((YamlScalarNode)node).Value));
        Assert.True(rendered.Children.ContainsKey("alerting"));
    }

    [Fact]
    public void A_file_without_external_labels_gets_them()
    {
        var rendered = Load(PrometheusConfigRenderer.Render("scrape_configs: []\n", "office"));

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
        var refused = Assert.Throws<ArgumentException>(() => PrometheusConfigRenderer.Render(Shipped, site));
        Assert.Contains($"(got \"{site}\")", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_three_characters_are_a_name_and_sixty_four_are_not()
    {
        Assert.Null(SiteName.Problem(new string('a', 63)));
        Assert.NotNull(SiteName.Problem(new string('a', 64)));
        Assert.NotNull(SiteName.Problem(null));
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string?[] Jobs(YamlMappingNode root) =>
        [.. ((YamlSequenceNode)root["scrape_configs"]).Children.Cast<YamlMappingNode>().Select(job => ((YamlScalarNode)job["job_name"]).Value)];

    private static string? Scalar(YamlMappingNode root, string section, string key) =>
        ((YamlScalarNode)((YamlMappingNode)root[section])[key]).Value;
}
