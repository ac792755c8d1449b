using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// The rules of observability/prometheus/ evaluated by a real Prometheus that scrapes a live probe (pinging loopback,
/// a plan configured) and a live node-exporter: every rule evaluates without error, and every recording rule whose
/// metrics exist here records data.
/// </summary>
public sealed class PrometheusRulesLiveTests
{
    // The DNS and HTTP jobs are off in a loopback-only test (their defaults are public servers): no series to record.
    private static readonly string[] NoDataHere =
    [
        "server:internet_monitor_dns_failures:ratio_rate10m",
        "server:internet_monitor_dns_duration_seconds:p90_rate15m",
        "target:internet_monitor_http_failures:ratio_rate10m",
    ];

    [Fact]
    public async Task Every_rule_evaluates_against_live_data_and_every_recording_rule_with_metrics_here_records_some()
    {
        await using var probe = await ProbeHost.StartAsync("--Monitor:Plan:DownloadMbps=100");
        await using var node = await WebServerProcess.StartNodeExporterAsync();
        var rules = Directory.GetFiles(Repository.PathOf("observability", "prometheus", "rules"), "*.yml").Order(StringComparer.Ordinal).ToList();
        await using var prometheus = await PrometheusServer.StartAsync(
            new Dictionary<string, string> { ["internet-monitor"] = ProbeHost.BaseAddress(probe).Authority, ["node"] = node.Url.Authority },
            rules);

        await prometheus.WaitForAsync("up", results => results.Count == 2 && results.All(result => result.Value == 1));
        var recordings = RecordingRules(rules);
        Assert.Equal(10, recordings.Count);
        foreach (var record in recordings.Except(NoDataHere))
        {
            // A rate needs two scrapes of a counter that moved: polled until the rule has recorded something.
            await prometheus.WaitForAsync(record, results => results.Count > 0);
        }

        using var document = await prometheus.GetAsync("api/v1/rules");
        var evaluated = document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray())
            .Select(rule => (Name: rule.GetProperty("name").GetString()!, Type: rule.GetProperty("type").GetString()!, Health: rule.GetProperty("health").GetString()!,
                Error: rule.TryGetProperty("lastError", out var error) ? error.GetString() : null))
            .ToList();
        Assert.Equal(28, evaluated.Count); // 10 recording rules and 18 alerts
        Assert.All(evaluated, rule => Assert.True(rule.Health == "ok", $"{rule.Name}: {rule.Health} {rule.Error}"));
        foreach (var record in NoDataHere)
        {
            Assert.Empty(await prometheus.QueryAsync(record));
        }
    }

    private static List<string> RecordingRules(IEnumerable<string> files) =>
        [.. files.SelectMany(File.ReadLines)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("- record: ", StringComparison.Ordinal))
            .Select(line => line["- record: ".Length..].Trim())];
}
