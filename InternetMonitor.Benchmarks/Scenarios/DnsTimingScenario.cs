using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// DNS timing against dig: dnsmasq on the far side answers one name from its own records; the probe queries it once
/// a second as a named server (one UDP query, its first five left out), each query's time read from its debug line;
/// then dig -u asks as often. They take turns, never both at once.
/// </summary>
public sealed partial class DnsTimingScenario : IScenario
{
    private const int Queries = 30;
    private const int WarmUp = 5;
    private const string Known = "known.lab.test";
    private static readonly IPAddress NameServer = IPAddress.Parse("192.0.2.53");
    private static readonly IPAddress Answer = IPAddress.Parse("192.0.2.10");

    public string Name => "dns";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        await lab.StartResponderAsync(new Dictionary<IPAddress, EchoProfile> { [NameServer] = EchoProfile.Immediate });
        await using var server = await LabDnsmasq.StartAsync(lab.Far, NameServer, new Dictionary<string, IPAddress> { [Known] = Answer });

        IReadOnlyList<double> probed;
        await using (var probe = await BenchContext.StartProbeAsync(context.ShippedProbe, lab.Near, new Dictionary<string, string> { ["server"] = NameServer.ToString() }, new Dictionary<string, string>
        {
            ["Monitor__Dns__Enabled"] = "true",
            ["Monitor__Dns__Interval"] = "00:00:01",
            ["Monitor__Dns__StartJitter"] = "00:00:00",
            ["Monitor__Dns__Timeout"] = "00:00:00.9",
            ["Monitor__Dns__SystemResolver"] = "false",
            ["Monitor__Dns__Names__0"] = Known,
            ["Monitor__Dns__Servers__lab"] = NameServer.ToString(),
            ["Logging__LogLevel__InternetMonitor.Probe.Probing.Dns.DnsLogRecorder"] = "Debug",
        }))
        {
            var seen = await Polling.UntilAsync(
                () => Task.FromResult<IReadOnlyList<double>>([.. Resolved().Matches(probe.Log).Select(line => double.Parse(line.Groups["ms"].Value, CultureInfo.InvariantCulture))]),
                durations => durations.Count >= WarmUp + Queries, $"{WarmUp + Queries} answered DNS queries", TimeSpan.FromSeconds(WarmUp + Queries + 60), TimeSpan.FromMilliseconds(500),
                cancellationToken: cancellationToken);
            probed = [.. seen.Skip(WarmUp).Take(Queries)];
        }

        var dug = new List<double>();
        for (var i = 0; i < Queries; i++)
        {
            dug.Add(await Dig.QueryTimeAsync(lab.Near, NameServer, Known) * 1000);
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        var (probeMedian, digMedian) = (Stats.Median(probed), Stats.Median(dug));
        var difference = probeMedian - digMedian;
        var allowed = 0.2 + (0.02 * digMedian);
        var section = new ReportSection("7. DNS timing", "Server", "Probe (median)", "Probe p90", "dig (median)", "dig p90", "Probe - dig", "Allowed", "Within");
        section.Row($"dnsmasq on the far side, {Known} A", $"{F(probeMedian)} ms", $"{F(Stats.Percentile(probed, 90))} ms", $"{F(digMedian)} ms", $"{F(Stats.Percentile(dug, 90))} ms",
            $"{F(difference)} ms", $"{F(allowed)} ms", Math.Abs(difference) <= allowed ? "yes" : "no");
        section.Note($"{Queries} queries each, one UDP query and no retry. The probe: `Monitor:Dns:Servers:lab` = {NameServer}, `Interval` 1 s, each query's time from its debug line (`DNS {Known} via lab: 1 answer(s) in ... ms`), after its first {WarmUp}. dig: `dig -u +tries=1 @{NameServer} {Known} A`, its `Query time` in microseconds. dnsmasq answers from its own records (`--host-record`, no cache, no upstream).");
        section.Note("Allowed: 0.2 ms + 2 % of dig's median.");
        section.Target("DNS: the median within 0.2 ms + 2 % of dig's", Math.Abs(difference) <= allowed, $"{F(difference)} ms apart");
        return section;
    }

    private static string F(double milliseconds) => milliseconds.ToString("0.000", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"DNS known\.lab\.test via lab: 1 answer\(s\) in (?<ms>[\d.]+) ms")]
    private static partial Regex Resolved();
}
