using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// Every query the stack ships, asked of a real Prometheus running the shipped configuration against a live probe,
/// node-exporter and Alertmanager (<see cref="LiveStack"/>): the targets are up, every rule evaluates, every recording
/// rule and every dashboard query returns data (but cAdvisor's and the temperatures', which have no source on this
/// machine, and those of failures and outages, which a healthy loopback does not have: see <see cref="DashboardTests"/>),
/// and the old project's queries still read as they did.
/// </summary>
[Collection(LiveStackCollection.Name)]
[Trait(Layer.Key, Layer.Integration)]
public sealed class QueriesLiveTests(LiveStack stack)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_target_of_the_shipped_scrape_configuration_is_up()
    {
        var up = await stack.Prometheus.WaitForAsync("up", results => results.Count == 4 && results.All(result => result.Value == 1));

        Assert.Equal(["alertmanager", "internet-monitor", "node", "prometheus"], up.Select(result => result.Labels["job"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_rule_evaluates_and_every_recording_rule_records_data()
    {
        var rules = PrometheusRulesTests.Rules(central: false).ToList(); // a site's Prometheus loads a site's rules
        foreach (var (name, _, _) in rules.Where(rule => !rule.IsAlert))
        {
            await WaitForDataAsync(name, name);
        }

        // A group not evaluated yet reports "unknown": asked again until every rule has been evaluated once.
        var evaluated = await Poll.UntilAsync(
            async () =>
            {
                using var document = await stack.Prometheus.GetAsync("api/v1/rules");
                return document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                    .SelectMany(group => group.GetProperty("rules").EnumerateArray())
                    .Select(rule => (Name: rule.GetProperty("name").GetString()!, Health: rule.GetProperty("health").GetString()!,
                        Error: rule.TryGetProperty("lastError", out var error) ? error.GetString() : null))
                    .ToList();
            },
            seen => seen.TrueForAll(rule => rule.Health != "unknown"),
            "every rule evaluated once",
            Deadline,
            TimeSpan.FromMilliseconds(500),
            explain: seen => Task.FromResult($"not yet: {string.Join(", ", seen.Where(rule => rule.Health == "unknown").Select(rule => rule.Name))}"));

        Assert.Equal(rules.Count, evaluated.Count);
        Assert.All(evaluated, rule => Assert.True(rule.Health == "ok", $"{rule.Name}: {rule.Health} {rule.Error}"));
    }

    [Fact]
    public async Task Every_dashboard_query_on_metrics_made_here_returns_data()
    {
        var all = GrafanaDashboards.Files().SelectMany(GrafanaDashboards.Queries).Where(query => query.DataSource == "prometheus").ToList();
        var queries = all.Where(query => !DashboardTests.IsCadvisor(query) && !DashboardTests.NeedsSensors(query) && !DashboardTests.ShowsTroubleOnly(query)).ToList();
        Assert.Equal((123, 101), (all.Count, queries.Count)); // as docs/dashboards.md says: update both together
        foreach (var query in all.Where(DashboardTests.ShowsTroubleOnly))
        {
            await stack.Prometheus.QueryAsync(GrafanaDashboards.PromQl(query.Expression)); // evaluates (a bad query is a 400)
        }

        // All asked again each round until each has had data once: rates need two scrapes, the speed test a run.
        var waiting = queries.ToList();
        await Poll.UntilAsync(
            async () =>
            {
                var answered = new List<DashboardQuery>();
                foreach (var query in waiting)
                {
                    if ((await stack.Prometheus.QueryAsync(GrafanaDashboards.PromQl(query.Expression))).Count > 0)
                    {
                        answered.Add(query);
                    }
                }

                waiting.RemoveAll(answered.Contains);
                return waiting.Count;
            },
            left => left == 0,
            "data for every dashboard query",
            Deadline,
            TimeSpan.FromSeconds(1),
            explain: left => Task.FromResult($"{left} of {queries.Count} queries returned no data:\n{string.Join("\n", waiting)}"));
    }

    [Fact]
    public async Task An_alert_fired_by_live_data_reaches_alertmanager_and_the_probes_alert_log_and_no_other_fires()
    {
        // The speed-test server paces downloads to 20 Mbit/s against a plan of 100: DownloadBelowPlan must fire.
        var firing = await stack.Prometheus.WaitForAsync("ALERTS{alertstate=\"firing\"}", results => results.Count > 0);

        Assert.Equal(["DownloadBelowPlan"], firing.Select(alert => alert.Labels["alertname"]).Distinct());
        using var probe = new HttpClient { BaseAddress = ProbeHost.BaseAddress(stack.Probe) };
        await Poll.UntilAsync(
            async () => (await probe.GetStringAsync(new Uri("api/alerts", UriKind.Relative), TestContext.Current.CancellationToken)).Contains("\"alertName\":\"DownloadBelowPlan\"", StringComparison.Ordinal),
            "DownloadBelowPlan reaching the probe's alert log through Alertmanager",
            Deadline,
            TimeSpan.FromMilliseconds(500));

        // By now (Alertmanager waits 30 s before a warning's first notification) any rule with a short "for" that a
        // healthy loopback set off would be pending or firing too.
        var active = await stack.Prometheus.QueryAsync("ALERTS");
        Assert.Equal(["DownloadBelowPlan"], active.Select(alert => alert.Labels["alertname"]).Distinct());
    }

    [Fact]
    public async Task The_old_projects_queries_read_as_they_did_with_both_sides_of_each_division_matching()
    {
        foreach (var query in LegacyQueries.All)
        {
            await WaitForDataAsync(query, query);
        }

        // The speed formula matches one series per server on both sides: as many results as servers.
        var servers = await stack.Prometheus.QueryAsync("internet_monitor_download_size_bytes");
        var speeds = await stack.Prometheus.QueryAsync(LegacyQueries.All[0]);
        Assert.Equal(servers.Count, speeds.Count);
        Assert.All(speeds, speed => Assert.True(speed.Value > 0, $"download speed {speed.Value}"));
        Assert.Empty(await stack.Prometheus.QueryAsync(LegacyQueries.FailuresOnly));
    }

    private async Task WaitForDataAsync(string promQl, string what)
    {
        await Poll.UntilAsync(async () => (await stack.Prometheus.QueryAsync(promQl)).Count > 0, $"data for {what}", Deadline, TimeSpan.FromMilliseconds(500));
    }
}
