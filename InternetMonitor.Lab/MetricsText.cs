using System.Globalization;
using System.Text.RegularExpressions;

namespace InternetMonitor.Lab;

/// <summary>Reads samples out of Prometheus text exposition, as a scrape would see them.</summary>
public sealed partial class MetricsText(string text)
{
    public string Text { get; } = text;

    /// <summary>The exposition itself, as a failed wait shows what it last read.</summary>
    public override string ToString() => Text;

    /// <summary>Every sample of <paramref name="name"/> with its labels.</summary>
    public IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string name) =>
        Text.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(match => match.Success && match.Groups["name"].Value == name)
            .Select(match => ((IReadOnlyDictionary<string, string>)Labels(match.Groups["labels"].Value), Parse(match.Groups["value"].Value)))
            .ToList();

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include <paramref name="labels"/>, or null.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = Samples(name).Where(sample => labels.All(label => sample.Labels.TryGetValue(label.Name, out var value) && value == label.Value)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0].Value,
            _ => throw new InvalidOperationException($"{matches.Count} samples of {name} match; give more labels"),
        };
    }

    private static Dictionary<string, string> Labels(string text) =>
        LabelPair().Matches(text).ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value, StringComparer.Ordinal);

    private static double Parse(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}
