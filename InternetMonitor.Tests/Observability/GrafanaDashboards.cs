using System.Text.Json;
using System.Text.RegularExpressions;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>One query of a dashboard: where it is, which data source it asks, and its text.</summary>
public sealed record DashboardQuery(string Dashboard, string Where, string DataSource, string Expression)
{
    public override string ToString() => $"{Dashboard} / {Where}: {Expression}";
}

/// <summary>
/// Reads observability/grafana/dashboards/*.json as Grafana would: every panel (rows' panels included), every
/// target, annotation and template variable with its data source, and the PromQL each one sends once Grafana has
/// put in its variables.
/// </summary>
public static partial class GrafanaDashboards
{
    public static string Folder { get; } = Repository.PathOf("observability", "grafana", "dashboards");

    public static IReadOnlyList<string> Files() => Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).ToList();

    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllText(file));

    /// <summary>Every panel that is not a row, depth first.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            if (panel.GetProperty("type").GetString() != "row")
            {
                yield return panel;
            }

            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    public static IEnumerable<DashboardQuery> Queries(string file)
    {
        using var document = Load(file);
        var root = document.RootElement;
        var name = Path.GetFileNameWithoutExtension(file);
        var queries = new List<DashboardQuery>();
        foreach (var panel in Panels(root))
        {
            var panelSource = DataSourceUid(panel);
            if (!panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                var source = DataSourceUid(target) ?? panelSource ?? "?";
                var text = target.TryGetProperty("expr", out var expr) ? expr.GetString() : null;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    queries.Add(new(name, $"panel '{panel.GetProperty("title").GetString()}'", source, text));
                }
            }
        }

        if (root.TryGetProperty("annotations", out var annotations))
        {
            foreach (var annotation in annotations.GetProperty("list").EnumerateArray())
            {
                if (annotation.TryGetProperty("expr", out var expr) && expr.GetString() is { Length: > 0 } text)
                {
                    queries.Add(new(name, $"annotation '{annotation.GetProperty("name").GetString()}'", DataSourceUid(annotation) ?? "?", text));
                }
            }
        }

        if (root.TryGetProperty("templating", out var templating))
        {
            foreach (var variable in templating.GetProperty("list").EnumerateArray())
            {
                if (variable.GetProperty("type").GetString() != "query")
                {
                    continue;
                }

                var query = variable.GetProperty("query");
                var text = query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString() : query.GetString();
                if (!string.IsNullOrWhiteSpace(text))
                {
                    queries.Add(new(name, $"variable '{variable.GetProperty("name").GetString()}'", DataSourceUid(variable) ?? "?", text));
                }
            }
        }

        return queries;
    }

    /// <summary>
    /// The PromQL Prometheus receives: Grafana's interval variables as Grafana would set them for a one-hour view, a
    /// dashboard variable (always in a regex matcher) as <paramref name="value"/> gives it (by its name), or "All"
    /// (<c>.*</c>, which <c>site=~".*"</c> also is for series without a site label), and a variable query
    /// (<c>label_values(m, l)</c>) as the query Grafana's Prometheus data source sends for it.
    /// </summary>
    public static string PromQl(string expression, Func<string, string?>? value = null)
    {
        var text = expression
            .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("$__range", "1h", StringComparison.Ordinal);
        text = Variable().Replace(text, variable => value?.Invoke(variable.Groups["name"].Value) ?? ".*");
        if (LabelValues().Match(text) is { Success: true } values)
        {
            var metric = values.Groups["metric"].Value.Trim();
            var label = values.Groups["label"].Value.Trim();
            return $"count by ({label}) ({(metric.Length == 0 ? "{__name__=~\".+\"}" : metric)})";
        }

        return QueryResult().Match(text) is { Success: true } result ? result.Groups["query"].Value : text;
    }

    private static string? DataSourceUid(JsonElement element) =>
        element.TryGetProperty("datasource", out var source) && source.ValueKind == JsonValueKind.Object && source.TryGetProperty("uid", out var uid)
            ? uid.GetString()
            : null;

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^\s*label_values\(\s*(?:(?<metric>.*),)?\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"^\s*query_result\((?<query>.*)\)\s*$", RegexOptions.Singleline)]
    private static partial Regex QueryResult();
}
