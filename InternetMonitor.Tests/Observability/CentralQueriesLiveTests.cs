using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// Every dashboard query asked of a central store holding two sites (<see cref="LiveStack"/>: home, the live stack's own
/// Prometheus, and office, a second Prometheus on the same probe and node-exporter, both writing through the gate): the
/// Sites dashboard answers one row per site, a dashboard set to one site answers at the central store what it answers at
/// that site, and every rule the central store evaluates stays healthy although both sites' probe has one address.
/// </summary>
[Collection(LiveStackCollection.Name)]
[Trait(Layer.Key, Layer.Integration)]
public sealed class CentralQueriesLiveTests(LiveStack stack, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static readonly string[] Sites = [LiveStack.Site, LiveStack.OtherSite];

    [Fact]
    public async Task The_sites_dashboard_answers_one_row_per_site_and_its_site_variable_offers_each_site()
    {
        var queries = GrafanaDashboards.Queries(Path.Combine(GrafanaDashboards.Folder, "sites.json"))
            .Where(query => query.Where.StartsWith("panel ", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, queries.Count);
        var clock = Stopwatch.StartNew();

        // Asked again each round until each query has both sites: a speed test must have run and both sites have sent it.
        var answers = await Poll.UntilAsync(
            async () =>
            {
                var answers = new Dictionary<DashboardQuery, IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>>();
                foreach (var query in queries)
                {
                    answers[query] = await stack.Central.Store.QueryAsync(GrafanaDashboards.PromQl(query.Expression));
                }

                return answers;
            },
            answers => answers.Values.All(results => SitesOf(results).SequenceEqual(Sites)),
            "one series per site for every query of the Sites dashboard",
            Deadline,
            TimeSpan.FromSeconds(1),
            explain: answers => Task.FromResult(string.Join("\n", answers.Where(answer => !SitesOf(answer.Value).SequenceEqual(Sites))
                .Select(answer => $"{answer.Key}: [{string.Join(", ", answer.Value.Select(result => Text(result.Labels)))}]"))));
        output.WriteLine($"Sites dashboard: one row per site after {clock.Elapsed.TotalSeconds:F0} s");

        // Each series has the site's label alone, so that merged on it they make one row per site.
        Assert.All(answers.Values.SelectMany(results => results), result => Assert.Equal(["site"], result.Labels.Keys));
        var internet = answers.Single(answer => answer.Key.Expression.Contains("internet_monitor_up{", StringComparison.Ordinal)).Value;
        var sending = answers.Single(answer => answer.Key.Expression.Contains("present_over_time", StringComparison.Ordinal)).Value;
        Assert.All(internet, result => Assert.Equal(1, result.Value));
        Assert.All(sending, result => Assert.Equal(1, result.Value));

        // Grafana asks label_values(up, site) of the store's label API, which names the sites and nothing else (not the store's own series).
        using var values = await stack.Central.Store.GetAsync($"api/v1/label/site/values?match[]={Uri.EscapeDataString("up")}");
        Assert.Equal(Sites, values.RootElement.GetProperty("data").EnumerateArray().Select(value => value.GetString()));
    }

    [Fact]
    public async Task Every_dashboard_query_set_to_one_site_answers_at_the_central_store_what_it_answers_at_that_site()
    {
        var queries = GrafanaDashboards.Files().SelectMany(GrafanaDashboards.Queries)
            .Where(query => query.DataSource == "prometheus" && query.Where != "variable 'site'")
            .Where(query => !DashboardTests.IsCadvisor(query) && !DashboardTests.NeedsSensors(query) && !DashboardTests.ShowsTroubleOnly(query))
            .ToList();
        Assert.Equal(97, queries.Count); // those QueriesLiveTests expects data from, but the four site variables
        var clock = Stopwatch.StartNew();

        // All asked again each round until each has answered once at the central store, for home alone, the series
        // home's own Prometheus answers (the same label sets, with site="home" where the query keeps the label).
        var waiting = queries.ToList();
        var last = new Dictionary<DashboardQuery, string>();
        await Poll.UntilAsync(
            async () =>
            {
                var answered = new List<DashboardQuery>();
                foreach (var query in waiting)
                {
                    var local = await stack.Prometheus.QueryAsync(GrafanaDashboards.PromQl(query.Expression));
                    var central = await stack.Central.Store.QueryAsync(GrafanaDashboards.PromQl(query.Expression, name => name == "site" ? LiveStack.Site : null));
                    var localSets = LabelSets(local);
                    var centralSets = LabelSets(central.Select(result => result.Labels.Where(label => label.Key != "site").ToDictionary()));
                    var sites = central.Select(result => result.Labels.GetValueOrDefault("site", LiveStack.Site)).Distinct().ToList();
                    if (central.Count > 0 && sites.SequenceEqual([LiveStack.Site]) && centralSets.SequenceEqual(localSets))
                    {
                        answered.Add(query);
                    }
                    else
                    {
                        last[query] = $"site [{string.Join(", ", localSets)}], central [{string.Join(", ", central.Select(result => Text(result.Labels)))}]";
                    }
                }

                waiting.RemoveAll(answered.Contains);
                return waiting.Count;
            },
            left => left == 0,
            "every dashboard query for one site answering at the central store as at the site",
            Deadline,
            TimeSpan.FromSeconds(1),
            explain: left => Task.FromResult($"{left} of {queries.Count} queries differ:\n{string.Join("\n", waiting.Select(query => $"{query}\n  {last.GetValueOrDefault(query)}"))}"));
        output.WriteLine($"{queries.Count} queries for site {LiveStack.Site} answered at the central store as at the site after {clock.Elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    public async Task Every_rule_of_the_central_store_stays_healthy_although_both_sites_probe_has_one_address()
    {
        // Both sites' plans and speeds first: a match on job and instance alone would then find two series where it expects one.
        foreach (var metric in (string[])["internet_monitor_plan_bytes_per_second", "internet_monitor_speedtest_throughput_bytes_per_second"])
        {
            await stack.Central.Store.WaitForAsync($"count by (site, instance) ({metric}{{site!=\"\"}})", results => results.Count == Sites.Length, Deadline);
        }

        var both = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var rules = await Poll.UntilAsync(
            async () =>
            {
                using var document = await stack.Central.Store.GetAsync("api/v1/rules");
                return document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                    .SelectMany(group => group.GetProperty("rules").EnumerateArray())
                    .Select(rule => (Name: rule.GetProperty("name").GetString()!, Health: rule.GetProperty("health").GetString()!,
                        Error: rule.TryGetProperty("lastError", out var error) ? error.GetString() : null, Evaluated: Evaluation(rule)))
                    .ToList();
            },
            rules => rules.Count > 0 && rules.TrueForAll(rule => rule.Evaluated > both),
            "every rule of the central store evaluated with both sites' series there",
            Deadline,
            TimeSpan.FromSeconds(1));
        output.WriteLine($"{rules.Count} central rules evaluated {clock.Elapsed.TotalSeconds:F0} s after both sites' series were there");

        Assert.Contains(rules, rule => rule.Name == "DownloadBelowPlan");
        Assert.All(rules, rule => Assert.True(rule.Health == "ok", $"{rule.Name}: {rule.Health} {rule.Error}"));
    }

    private static DateTimeOffset Evaluation(JsonElement rule) =>
        rule.TryGetProperty("lastEvaluation", out var time) ? DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;

    private static List<string> SitesOf(IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> results) =>
        results.Select(result => result.Labels.GetValueOrDefault("site", string.Empty)).Order(StringComparer.Ordinal).ToList();

    private static List<string> LabelSets(IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> results) =>
        LabelSets(results.Select(result => result.Labels));

    private static List<string> LabelSets(IEnumerable<IReadOnlyDictionary<string, string>> labels) =>
        labels.Select(Text).Order(StringComparer.Ordinal).ToList();

    private static string Text(IReadOnlyDictionary<string, string> labels) =>
        "{" + string.Join(", ", labels.OrderBy(label => label.Key, StringComparer.Ordinal).Select(label => $"{label.Key}=\"{label.Value}\"")) + "}";
}
