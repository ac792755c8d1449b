using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.AppHost.Rendering;

/// <summary>What the configuration renderers share to build and write a YAML file with YamlDotNet's representation model.</summary>
public static class YamlFile
{
    /// <summary>A key and its scalar value, in <paramref name="style"/>.</summary>
    public static KeyValuePair<YamlNode, YamlNode> Pair(string key, string value, ScalarStyle style = ScalarStyle.Any) =>
        new(new YamlScalarNode(key), new YamlScalarNode(value) { Style = style });

    /// <summary>The stream's one document after a <c>#</c> line saying where it came from, without the <c>...</c> end marker YamlDotNet writes.</summary>
    public static string Save(YamlStream stream, string header)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine("# " + header);
        stream.Save(writer, assignAnchors: false);
        return writer.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal);
    }
}
