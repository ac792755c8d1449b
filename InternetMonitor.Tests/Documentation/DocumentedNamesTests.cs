using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InternetMonitor.Tests.Documentation;

/// <summary>
/// The names the docs use are the code's: every setting key they mention binds to a property, every metric they
/// mention is one the probe makes, every alert one the rules hold; and every setting, metric and alert that exists is
/// documented (the settings in docs/configuration.md, the metrics in docs/metrics.md, the alerts in docs/alerts.md).
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed partial class DocumentedNamesTests
{
    [Fact]
    public void Every_setting_the_docs_mention_exists()
    {
        var keys = SettingKeys();

        var unknown = Mentions(KeyMention()).Where(mention => !keys.Any(key => Matches(key, mention.Name) || Section(key, mention.Name))).ToList();

        Assert.True(unknown.Count == 0, "settings the docs name and no options class binds:\n" + string.Join('\n', unknown.Select(mention => $"{mention.Page}: {mention.Name}")));
    }

    [Fact]
    public void Every_setting_is_in_the_configuration_page()
    {
        var documented = KeyMention().Matches(Page("docs/configuration.md")).Select(match => Clean(match.Value)).ToList();

        var missing = SettingKeys().Where(key => !documented.Any(mention => Matches(key, mention) || Covers(mention, key))).ToList();

        Assert.True(missing.Count == 0, "settings docs/configuration.md does not list:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Every_alert_is_in_the_alerts_and_runbooks_pages_and_nothing_else_is()
    {
        var alerts = Directory.GetFiles(Repository.PathOf("observability"), "*.yml", SearchOption.AllDirectories)
            .Where(file => file.Contains($"{Path.DirectorySeparatorChar}rules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => AlertRule().Matches(File.ReadAllText(file)).Select(match => match.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);

        var table = AlertRow().Matches(Page("docs/alerts.md")).Select(match => match.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var runbooks = RunbookHeading().Matches(Page("docs/runbooks.md")).Select(match => match.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(alerts.Order(StringComparer.Ordinal), table.Order(StringComparer.Ordinal));
        Assert.Equal(alerts.Order(StringComparer.Ordinal), runbooks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_metric_the_probe_exposes_is_in_the_metrics_page()
    {
        await using var app = await ProbeHost.StartAsync();
        await ProbeHost.WaitForMetricsAsync(app, text => text.Value("internet_monitor_up") == 1);
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(app) };
        var exposed = TypeLine().Matches(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken))
            .Select(match => match.Groups["name"].Value).ToList();
        var documented = MetricsTable();

        Assert.NotEmpty(exposed);
        var missing = exposed.Where(name => !documented.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "metrics the probe exposes that docs/metrics.md does not list:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Every_metric_the_docs_mention_is_one_the_probe_makes_or_the_rules_record()
    {
        // The probe's names as its source writes them: literals, and the old per-direction names.
        var source = Directory.GetFiles(Repository.PathOf("InternetMonitor.Probe"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var made = source.SelectMany(text => MetricLiteral().Matches(text).Select(match => match.Groups["name"].Value))
            .Concat(source.SelectMany(text => DirectionMetric().Matches(text)).SelectMany(match => new[] { "download", "upload" }.Select(direction => $"internet_monitor_{direction}_{match.Groups["rest"].Value}")))
            .ToHashSet(StringComparer.Ordinal);

        var unknown = Mentions(MetricMention()).Where(mention => !made.Contains(Family(mention.Name))).ToList();

        Assert.True(unknown.Count == 0, "metrics the docs name and the probe does not make:\n" + string.Join('\n', unknown.Select(mention => $"{mention.Page}: {mention.Name}")));
        Assert.All(MetricsTable(), name => Assert.Contains(name, made));
    }

    /// <summary>Every key an options class binds, as a pattern: <c>&lt;&gt;</c> stands for a dictionary key or a list index.</summary>
    private static List<string> SettingKeys()
    {
        var keys = new List<string>();
        using var app = ProbeProgram.Build([]);
        foreach (var section in app.Services.GetServices<KnownSection>())
        {
            var root = $"{OptionsRegistration.Root}:{section.Name}";
            if (Scalar(section.OptionsType))
            {
                keys.Add(root);
            }
            else
            {
                Walk(root, section.OptionsType, keys);
            }
        }

        Walk(StackOptions.Section, typeof(StackOptions), keys);
        Walk(AlertingOptions.Section, typeof(AlertingOptions), keys);
        Walk(CentralOptions.Section, typeof(CentralOptions), keys);
        return keys;
    }

    private static void Walk(string prefix, Type type, List<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.GetIndexParameters().Length == 0))
        {
            var key = $"{prefix}:{property.Name}";
            var value = property.PropertyType;
            if (Scalar(value))
            {
                if (property.CanWrite)
                {
                    keys.Add(key);
                }
            }
            else if (value.IsGenericType && value.GetGenericArguments() is { Length: 2 } pair && typeof(IDictionary).IsAssignableFrom(value))
            {
                Element($"{key}:<>", pair[1], keys);
            }
            else if (value.IsArray || (value.IsGenericType && typeof(IEnumerable).IsAssignableFrom(value)))
            {
                Element($"{key}:<>", value.IsArray ? value.GetElementType()! : value.GetGenericArguments()[0], keys);
            }
            else if (value.IsClass)
            {
                Walk(key, value, keys);
            }
        }
    }

    private static void Element(string key, Type element, List<string> keys)
    {
        if (Scalar(element))
        {
            keys.Add(key);
        }
        else
        {
            Walk(key, element, keys);
        }
    }

    private static bool Scalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
               || type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(DateTime);
    }

    /// <summary>The key a mention such as <c>Monitor:Targets:Public:local</c> or <c>Monitor:Http:Targets:&lt;name&gt;:Url</c> names, against a pattern.</summary>
    private static bool Matches(string pattern, string mention)
    {
        var want = pattern.Split(':');
        var got = mention.Split(':');
        if (got.Length != want.Length)
        {
            return false;
        }

        return want.Zip(got).All(part => part.First == "<>" ? part.Second.Length > 0 : string.Equals(part.First, part.Second, StringComparison.OrdinalIgnoreCase) || Placeholder(part.Second));
    }

    /// <summary>A mention such as <c>Alerting:Email:*</c> stands for every key under it (a whole section's, <c>Stack:*</c>, documents none).</summary>
    private static bool Covers(string mention, string key) =>
        mention.EndsWith(":*", StringComparison.Ordinal) && mention.Count(c => c == ':') >= 2
        && key.StartsWith(mention[..^1], StringComparison.OrdinalIgnoreCase);

    /// <summary>A part that stands for any name: <c>&lt;name&gt;</c>, or written in capitals (<c>NAME</c>, <c>KEY</c>).</summary>
    private static bool Placeholder(string part) => (part.StartsWith('<') && part.EndsWith('>')) || (part.Length > 1 && part.All(char.IsAsciiLetterUpper));

    /// <summary>The mention names a section that holds <paramref name="key"/> (<c>Monitor:Plan</c>, <c>Alerting</c>).</summary>
    private static bool Section(string key, string mention) =>
        key.Length > mention.Length && key[mention.Length] == ':' && Matches(string.Join(':', key.Split(':').Take(mention.Count(c => c == ':') + 1)), mention);

    private static string Clean(string mention) => mention.TrimEnd('.', ',', ':');

    /// <summary>What the docs mention with <paramref name="pattern"/>, on which page; wildcards (<c>*</c>, <c>...</c>) left out.</summary>
    private static IEnumerable<(string Page, string Name)> Mentions(Regex pattern) =>
        DocumentationLinkTests.Pages().Select(row => row.Data)
            .SelectMany(page => pattern.Matches(Page(page)).Select(match => (page, Clean(match.Value))))
            .Where(mention => !mention.Item2.EndsWith('*') && !mention.Item2.EndsWith("...", StringComparison.Ordinal))
            .Distinct();

    /// <summary>The names in the first column of docs/metrics.md's tables.</summary>
    private static HashSet<string> MetricsTable() =>
        MetricRow().Matches(Page("docs/metrics.md"))
            .SelectMany(match => MetricMention().Matches(match.Groups["names"].Value).Select(name => name.Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A series' family: a histogram's or summary's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> are its own.</summary>
    private static string Family(string series) => SeriesSuffix().Replace(series, "");

    private static string Page(string page) => File.ReadAllText(Repository.PathOf(page));

    [GeneratedRegex(@"(?<![\w:])(?:Monitor|Stack|Alerting|Central):[A-Za-z0-9<>:_.*-]*[A-Za-z0-9>*.]")]
    private static partial Regex KeyMention();

    [GeneratedRegex(@"(?<![\w:])internet_monitor_[a-z0-9_]*[a-z0-9](?![\w:])")]
    private static partial Regex MetricMention();

    [GeneratedRegex(@"^\| (?<names>`internet_monitor_[^|]+)\|", RegexOptions.Multiline)]
    private static partial Regex MetricRow();

    [GeneratedRegex("\"(?<name>internet_monitor_[a-z0-9_]+)\"")]
    private static partial Regex MetricLiteral();

    [GeneratedRegex(@"\$""internet_monitor_\{direction\}_(?<rest>[a-z0-9_]+)""")]
    private static partial Regex DirectionMetric();

    [GeneratedRegex(@"^# TYPE (?<name>internet_monitor_\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex SeriesSuffix();

    [GeneratedRegex(@"^\s*- alert: (?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex AlertRule();

    [GeneratedRegex(@"^\| \[(?<name>\w+)\]\(runbooks\.md#", RegexOptions.Multiline)]
    private static partial Regex AlertRow();

    [GeneratedRegex(@"^## (?<name>\w+)$", RegexOptions.Multiline)]
    private static partial Regex RunbookHeading();
}
