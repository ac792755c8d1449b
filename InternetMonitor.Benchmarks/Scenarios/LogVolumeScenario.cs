using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// How much the probe writes to its log at its defaults, with the line up and with it cut: every check it runs by
/// default (three ping targets, three names through three servers and the system resolver, two HTTPS targets), each
/// pointed at a lab server behind the link; the log entries it writes are counted from its output in each window.
/// </summary>
public sealed partial class LogVolumeScenario : IScenario
{
    private static readonly TimeSpan Up = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan FirstMinute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RepeatEvery = TimeSpan.FromMinutes(15); // Monitor:Logging:RepeatEvery's default
    private static readonly TimeSpan AfterRestore = TimeSpan.FromMinutes(1);
    private static readonly IPAddress NameServer = IPAddress.Parse("192.0.2.53");
    private static readonly IPAddress Web = IPAddress.Parse("192.0.2.80");
    private static readonly string[] Names = ["example.lab.test", "cloudflare.lab.test", "google.lab.test"];

    // The checks the probe runs at its defaults, each of which may warn once when the line is cut: 3 names through
    // 3 servers and the system resolver, 2 URLs, 3 ping targets' loss, and the outage.
    private const int Checks = (3 * (3 + 1)) + 2 + 3 + 1;

    public string Name => "logs";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        var targets = FarAddresses(71, 3);
        await lab.StartResponderAsync(targets.Append(Web).ToDictionary(address => address, _ => EchoProfile.Immediate));
        await lab.AddFarAddressAsync(NameServer);
        await using var names = await LabDnsmasq.StartAsync(lab.Far, NameServer, Names.Append("www.lab.test").ToDictionary(name => name, _ => Web));
        await lab.Near.UseNameServerAsync(NameServer);
        await using var web = await LabNginx.StartAsync(lab.Far, Web, 443, "www.lab.test", http2: true);

        var settings = new Dictionary<string, string>
        {
            ["Monitor__Dns__Enabled"] = "true",
            ["Monitor__Http__Enabled"] = "true",
            ["Monitor__Http__Targets__cloudflare__Url"] = web.Url.ToString(),
            ["Monitor__Http__Targets__cloudflare__CaFile"] = web.AuthorityFile,
            ["Monitor__Http__Targets__google__Url"] = web.Url.ToString(),
            ["Monitor__Http__Targets__google__CaFile"] = web.AuthorityFile,
        };
        foreach (var server in new[] { "cloudflare", "google", "quad9" })
        {
            settings[$"Monitor__Dns__Servers__{server}"] = NameServer.ToString();
        }

        for (var i = 0; i < Names.Length; i++)
        {
            settings[$"Monitor__Dns__Names__{i.ToString(CultureInfo.InvariantCulture)}"] = Names[i];
        }

        await using var probe = await StartProbeAsync(context.ShippedProbe, lab.Near, new Dictionary<string, string>
        {
            ["cloudflare"] = targets[0].ToString(),
            ["google"] = targets[1].ToString(),
            ["quad9"] = targets[2].ToString(),
        }, settings);

        // Both jobs have run once (their start jitter is at most 10 s) and every check has answered before the count begins.
        await probe.WaitForAsync(
            m => m.Value("internet_monitor_up") == 1 && m.Samples("internet_monitor_http_requests_total").Sum(sample => sample.Value) >= 2
                 && m.Samples("internet_monitor_dns_requests_total").Sum(sample => sample.Value) >= 12,
            "the line up and every HTTP and DNS check answered", TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
        var failures = await probe.TryMetricsAsync() ?? throw new LabException("the probe did not answer /metrics");
        var start = Count(probe.Log);
        await Task.Delay(Up, cancellationToken);
        var up = Since(probe.Log, start);

        await lab.CutAsync();
        var cut = Count(probe.Log);
        await Task.Delay(FirstMinute, cancellationToken);
        var first = Since(probe.Log, cut);
        var afterFirst = Count(probe.Log);
        await Task.Delay(RepeatEvery, cancellationToken);
        var repeating = Since(probe.Log, afterFirst);

        await lab.RestoreAsync();
        var restored = Count(probe.Log);
        await Task.Delay(AfterRestore, cancellationToken);
        var recovery = Since(probe.Log, restored);
        var down = await probe.TryMetricsAsync() ?? throw new LabException("the probe did not answer /metrics");
        var failed = Failed(down) - Failed(failures);

        var section = new ReportSection("12. Log volume", "Line", "Window", "Entries written", "Of them warnings", "Per hour at that rate", "Checks failed in the window");
        section.Row("up", $"{Minutes(Up)} min", N(up.All), N(up.Warnings), PerHour(up.All, Up), "-");
        section.Row("cut", "its first minute", N(first.All), N(first.Warnings), "-", "-");
        section.Row("cut", $"the next {Minutes(RepeatEvery)} min (one `RepeatEvery`)", N(repeating.All), N(repeating.Warnings), PerHour(repeating.All, RepeatEvery), "-");
        section.Row("restored", $"its first {Minutes(AfterRestore)} min", N(recovery.All), N(recovery.Warnings), "-",
            $"{failed.ToString("0", CultureInfo.InvariantCulture)} DNS and HTTP checks failed while cut, each counted in the metrics");
        section.Note("The probe at its defaults (Information level, console output), its checks pointed at the lab: `Monitor:Targets:Public` cloudflare, google and quad9 at three addresses behind the link; `Monitor:Dns:Servers` cloudflare, google and quad9 all at the lab's dnsmasq, three names, the system resolver at it too (12 queries every 30 s); `Monitor:Http:Targets` cloudflare and google at nginx over HTTPS with h2 (every 60 s). The gateway is `none` (the lab has none) and the speed test off (no server in this lab): each would add its own lines.");
        section.Note("An entry is one log record: one line of the console's single-line format (`info:`, `warn:`, `fail:` after the timestamp). The cut takes the link down at both ends; the probe's own start-up lines are before the first window.");
        section.Target("Logs: with the line cut, at most one warning per check (and the outage) in its first minute, and at most one reminder each in the next 15 min",
            first.Warnings <= Checks && repeating.Warnings <= Checks, $"{first.Warnings} warnings in the first minute, {repeating.Warnings} in the next {Minutes(RepeatEvery)}");
        return section;
    }

    private static (int All, int Warnings) Count(string log) => (Entry().Count(log), Warning().Count(log));

    private static (int All, int Warnings) Since(string log, (int All, int Warnings) before)
    {
        var now = Count(log);
        return (now.All - before.All, now.Warnings - before.Warnings);
    }

    private static double Failed(MetricsText metrics) =>
        metrics.Samples("internet_monitor_dns_failures_total").Sum(sample => sample.Value) + metrics.Samples("internet_monitor_http_failures_total").Sum(sample => sample.Value);

    private static string PerHour(int entries, TimeSpan window) => (entries * (TimeSpan.FromHours(1) / window)).ToString("0", CultureInfo.InvariantCulture);

    private static string N(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan span) => span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:\S+ )?(?:trce|dbug|info|warn|fail|crit): ", RegexOptions.Multiline)]
    private static partial Regex Entry();

    [GeneratedRegex(@"^(?:\S+ )?warn: ", RegexOptions.Multiline)]
    private static partial Regex Warning();
}
