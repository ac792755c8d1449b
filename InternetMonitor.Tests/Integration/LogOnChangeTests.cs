using System.Text.RegularExpressions;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// The built probe at its default checks in a namespace with no route at all: every check fails every round, and
/// the log says so once per check (and the outage's line), not once per attempt.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed partial class LogOnChangeTests
{
    [Fact]
    public async Task With_no_route_each_check_warns_once_while_every_attempt_counts_in_the_metrics()
    {
        await using var network = await LabFixture.NamespaceAsync();

        // The default targets, names, servers and URLs; DNS and HTTP every 2 s instead of 30 s and 60 s, so that many
        // rounds fail within the test; RepeatEvery stays at its 15 min.
        await using var probe = LabFixture.StartProbe(network, new Dictionary<string, string>
        {
            ["Monitor__Outage__DownAfter"] = "00:00:02",
            ["Monitor__Dns__Interval"] = "00:00:02",
            ["Monitor__Dns__Timeout"] = "00:00:01",
            ["Monitor__Dns__StartJitter"] = "00:00:00",
            ["Monitor__Http__Interval"] = "00:00:02",
            ["Monitor__Http__Timeout"] = "00:00:01",
            ["Monitor__Http__StartJitter"] = "00:00:00",
        });

        // Ten failed rounds of every DNS query (3 names through 3 servers and the system resolver) and HTTP probe.
        var metrics = await probe.UntilAsync(
            m => m.Samples("internet_monitor_dns_requests_total").Count(sample => sample.Value >= 10) == 12
                 && m.Samples("internet_monitor_http_requests_total").Count(sample => sample.Value >= 10) == 2
                 && m.Value("internet_monitor_outages_total", ("cause", "local")) == 1,
            "ten failed rounds of every DNS and HTTP check, and the outage", TimeSpan.FromMinutes(3));
        await probe.WaitForLogAsync("Internet DOWN (cause local)", TestContext.Current.CancellationToken);

        Assert.True(metrics.Samples("internet_monitor_dns_failures_total").Sum(sample => sample.Value) >= 12 * 10, "every failed query is counted");
        var warnings = Warning().Matches(probe.Log).Select(match => match.Groups["message"].Value).ToList();
        var checks = warnings.Select(Check).ToList();
        Assert.All(checks.GroupBy(check => check), group => Assert.True(group.Count() == 1, $"{group.Count()} warnings for {group.Key}:\n{string.Join('\n', warnings)}"));
        Assert.Equal(12, checks.Count(check => check.StartsWith("DNS ", StringComparison.Ordinal)));
        Assert.Equal(2, checks.Count(check => check.StartsWith("HTTP ", StringComparison.Ordinal)));
        Assert.Equal(3, checks.Count(check => check.StartsWith("Target ", StringComparison.Ordinal)));
        Assert.DoesNotContain(warnings, warning => warning.Contains("still", StringComparison.Ordinal));
        Assert.Equal(1, Regex.Count(probe.Log, "fail: .*Internet DOWN"));
        Assert.Contains("DNS example.com via system failing: temporary_failure", probe.Log, StringComparison.Ordinal);
    }

    /// <summary>The check a warning is about: its words before "failing:" or "losing echoes:".</summary>
    private static string Check(string warning)
    {
        var end = warning.IndexOf(" failing", StringComparison.Ordinal);
        end = end < 0 ? warning.IndexOf(" losing", StringComparison.Ordinal) : end;
        return end < 0 ? warning : warning[..end];
    }

    [GeneratedRegex(@"^\S+ warn: \S+\[\d+\] (?<message>.*)$", RegexOptions.Multiline)]
    private static partial Regex Warning();
}
