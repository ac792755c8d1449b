using System.Net;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// RTT accuracy: four far addresses answer after 1, 10, 40 and 200 ms. The probe (10 echoes a second, its
/// median and p99 from its own summary over a 30 s window) and fping (-C, the same 30 s) read them over the
/// same link at the same time. The responder's own lateness (how long after its due time each reply left)
/// is printed too: it is the lab's precision.
/// </summary>
public sealed class RttScenario : IScenario
{
    private const int Count = 300;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private static readonly double[] DelaysMs = [1, 10, 40, 200];

    public string Name => "rtt";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        var addresses = FarAddresses(11, DelaysMs.Length);
        var profiles = new Dictionary<IPAddress, EchoProfile>();
        var names = new Dictionary<string, string>();
        for (var i = 0; i < addresses.Count; i++)
        {
            profiles[addresses[i]] = new EchoProfile(TimeSpan.FromMilliseconds(DelaysMs[i]));
            names[$"d{DelaysMs[i]}"] = addresses[i].ToString();
        }

        var responder = await lab.StartResponderAsync(profiles);
        await using var probe = await context.StartProbeAsync(lab.Near, names, new Dictionary<string, string>
        {
            ["Monitor__Icmp__Interval"] = "00:00:00.1",
            ["Monitor__Icmp__Timeout"] = "00:00:01",
            ["Monitor__Icmp__StatisticsWindow"] = "00:00:30",
        });

        // Ten seconds for the probe to warm up, then fping and the probe side by side for 30 s; the probe's
        // quantiles are read when fping ends, so its 30 s window is the same 30 s.
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
        var fping = await Fping.RttsAsync(lab.Near, addresses, Count, Period, cancellationToken);
        var metrics = await probe.TryMetricsAsync() ?? throw new LabException("the probe did not answer /metrics");
        var lateness = responder.Lateness.Select(late => late.TotalMilliseconds).ToArray();

        var section = new ReportSection(
            "1. RTT accuracy",
            "Injected", "Held by the lab (median)", "Probe median", "Probe p99", "fping median", "fping p99", "Probe error", "fping error", "Median error at most fping's + 0.01 ms, p99 at most fping's + 0.1 ms");
        var allMet = true;
        for (var i = 0; i < addresses.Count; i++)
        {
            var name = $"d{DelaysMs[i]}";
            var truth = Stats.Median([.. responder.Held(addresses[i]).Select(held => held.TotalMilliseconds)]);
            var median = metrics.Value("internet_monitor_ping_latency_seconds", ("target", name), ("quantile", "0.5")) * 1000 ?? double.NaN;
            var p99 = metrics.Value("internet_monitor_ping_latency_seconds", ("target", name), ("quantile", "0.99")) * 1000 ?? double.NaN;
            var peer = fping.TryGetValue(addresses[i], out var rtts) ? rtts.OfType<double>().ToArray() : [];
            var peerMedian = Stats.Median(peer);
            var peerP99 = Stats.Percentile(peer, 99);
            var probeError = Math.Abs(median - truth);
            var peerError = Math.Abs(peerMedian - truth);

            // fping prints RTTs with three significant digits (0.01 ms at 1 ms, 1 ms at 200 ms): its figures are
            // known only to half that step, so each comparison with fping allows for it.
            var rounding = Resolution(truth) / 2;
            var met = probeError <= peerError + 0.01 + rounding && p99 <= peerP99 + 0.1 + rounding;
            allMet &= met;
            section.Row($"{DelaysMs[i]} ms", Ms(truth), Ms(median), Ms(p99), Ms(peerMedian), Ms(peerP99), Ms(probeError), Ms(peerError), met ? "yes" : "**no**");
        }

        section.Note($"Probe: 10 echoes a second per target, median and p99 read from `internet_monitor_ping_latency_seconds{{quantile=...}}` (window 30 s, about 300 replies each). fping: `fping -C {Count} -p {Period.TotalMilliseconds} -t 1000`, the same 30 s, same link.");
        section.Note("Errors are against what the lab really held each reply (median, from the request's kernel arrival stamp to the moment the reply was handed to the kernel): the injected delay plus the responder's own lateness. The time each packet takes to cross the veth (microseconds) is in the measured RTTs but not in the hold.");
        section.Note($"Lab precision: the responder handed each reply to the kernel {Ms(Stats.Median(lateness))} after its due time at the median, {Ms(Stats.Percentile(lateness, 99))} at p99 ({lateness.Length} replies; due = kernel arrival stamp + injected delay). Goal: within 0.1 ms at the median.");
        section.Target("Lab: injected delay honoured within 0.1 ms at the median", Stats.Median(lateness) <= 0.1, $"median lateness {Ms(Stats.Median(lateness))}");
        section.Note("fping's figures are rounded to three significant digits (0.001 ms below 1 ms, 0.01 ms below 10 ms, 0.1 ms below 100 ms, 1 ms above): each comparison with fping allows half that step.");
        section.Target("RTT: median error at most 0.01 ms above fping's, p99 at most 0.1 ms above fping's p99, at every delay", allMet, "see table 1");
        return section;
    }

    /// <summary>The step of fping's printed RTTs: 0.125, 1.02, 10.0, 200.</summary>
    private static double Resolution(double milliseconds) => milliseconds switch
    {
        < 1 => 0.001,
        < 10 => 0.01,
        < 100 => 0.1,
        _ => 1,
    };

    private static string Ms(double milliseconds) => double.IsNaN(milliseconds) ? "n/a" : Milliseconds(milliseconds / 1000) + " ms";
}
