using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Prometheus;

namespace InternetMonitor.Lab;

/// <summary>Reads samples out of Prometheus text exposition, as a scrape would see them.</summary>
public sealed partial class MetricsText(string text)
{
    public string Text { get; } = text;

    /// <summary>The exposition itself, as a failed wait shows what it last read.</summary>
    public override string ToString() => Text;

    /// <summary>What a scrape of <paramref name="registry"/> reads now (a probe hosted in the test's own process).</summary>
    public static async Task<MetricsText> ScrapeAsync(CollectorRegistry registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, cancellationToken).ConfigureAwait(false);
        return new MetricsText(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>What a GET of <paramref name="url"/> (a probe's /metrics) reads now; throws when it does not answer 200.</summary>
    public static async Task<MetricsText> ScrapeAsync(HttpClient client, Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new MetricsText(await client.GetStringAsync(url, cancellationToken).ConfigureAwait(false));
    }

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
        var matches = Samples(name).Where(sample => Matches(sample.Labels, labels)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0].Value,
            _ => throw new InvalidOperationException($"{matches.Count} samples of {name} match; give more labels"),
        };
    }

    /// <summary>The total of every sample of <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 when there is none.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples(name).Where(sample => Matches(sample.Labels, labels)).Sum(sample => sample.Value);

    private static bool Matches(IReadOnlyDictionary<string, string> have, (string Name, string Value)[] wanted) =>
        wanted.All(label => have.TryGetValue(label.Name, out var value) && value == label.Value);

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
