using System.Net;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// Loss accuracy: four far addresses drop 0, 1, 5 and 20 % of echoes at random (seeded). The probe and fping
/// (from a second near address, so the responder tells their echoes apart) each send at least 1000 echoes to
/// each. The responder's record of what it dropped is the truth; the binomial interval says where a correct
/// count of a 1000-packet sample falls 95 % of the time.
/// </summary>
public sealed class LossScenario : IScenario
{
    private const int Count = 1000;
    private static readonly double[] Rates = [0, 0.01, 0.05, 0.20];
    private static readonly IPAddress FpingSource = IPAddress.Parse("192.0.2.5");
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    public string Name => "loss";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        await lab.Near.RunAsync("ip", "addr", "add", $"{FpingSource}/24", "dev", LabNetwork.Link);
        var addresses = FarAddresses(21, Rates.Length);
        var profiles = new Dictionary<IPAddress, EchoProfile>();
        var names = new Dictionary<string, string>();
        for (var i = 0; i < addresses.Count; i++)
        {
            profiles[addresses[i]] = new EchoProfile(TimeSpan.Zero, Loss: Rates[i]);
            names[TargetName(i)] = addresses[i].ToString();
        }

        var responder = await lab.StartResponderAsync(profiles, seed: 3);
        await using var probe = await context.StartProbeAsync(lab.Near, names, new Dictionary<string, string>
        {
            ["Monitor__Icmp__Interval"] = "00:00:00.01",
            ["Monitor__Icmp__Timeout"] = "00:00:00.5",
        });
        var fping = await Fping.CountsAsync(lab.Near, FpingSource, addresses, Count, Period, cancellationToken);
        await probe.WaitForAsync(
            m => names.Keys.All(name => m.Value("internet_monitor_ping_packets_sent_total", ("target", name)) >= Count),
            $"{Count} echoes to each target", TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);

        // Stop the probe's echoes at the near side (its sends now fail with reason permission_denied), let every
        // echo in flight be answered or time out, then compare the probe's counts with the responder's record.
        await lab.Near.RunAsync("iptables", "-A", "OUTPUT", "-p", "icmp", "--icmp-type", "echo-request", "-s", LabNetwork.NearAddress.ToString(), "-j", "DROP");
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // four times the probe's timeout
        var metrics = await probe.TryMetricsAsync() ?? throw new LabException("the probe did not answer /metrics");

        var section = new ReportSection(
            "2. Loss accuracy",
            "Injected", "Probe echoes", "Dropped by the lab", "Probe loss", "Binomial 95 % interval", "fping echoes", "Dropped by the lab (fping's)", "fping loss", "Probe = lab, inside interval");
        var allMet = true;
        for (var i = 0; i < addresses.Count; i++)
        {
            var received = metrics.Value("internet_monitor_ping_packets_received_total", ("target", TargetName(i))) ?? 0;
            var timeouts = metrics.Value("internet_monitor_ping_failures_total", ("target", TargetName(i)), ("reason", "timeout")) ?? 0;
            var resolved = (int)(received + timeouts);
            var truth = responder.Drops(LabNetwork.NearAddress, addresses[i]);
            var truthLost = truth.Count(dropped => dropped);
            var probeLoss = timeouts / resolved;
            var (low, high) = Stats.BinomialInterval(resolved, Rates[i]);
            var (sent, got) = fping.GetValueOrDefault(addresses[i]);
            var fpingTruth = responder.Drops(FpingSource, addresses[i]);
            var met = truth.Count == resolved && truthLost == (int)timeouts && probeLoss >= low && probeLoss <= high;
            allMet &= met;
            section.Row(
                Percent(Rates[i]),
                resolved.ToString(),
                $"{truthLost} of {truth.Count}",
                Percent(probeLoss),
                $"{Percent(low)} .. {Percent(high)}",
                sent.ToString(),
                $"{fpingTruth.Count(dropped => dropped)} of {fpingTruth.Count}",
                sent == 0 ? "n/a" : Percent((sent - got) / (double)sent),
                met ? "yes" : "**no**");
        }

        section.Note($"Probe: 100 echoes a second per target, timeout 0.5 s; loss = `ping_failures_total{{reason=\"timeout\"}}` / (that + `ping_packets_received_total`) once every echo had resolved. fping: `fping -c {Count} -p {Period.TotalMilliseconds} -t 500 -S {FpingSource}`.");
        section.Note("\"Dropped by the lab\" is the responder's own record of the echoes it chose not to answer (seeded random, per address).");
        section.Target("Loss: the probe's count equals the lab's and lies inside the binomial interval", allMet, "see table 2");
        return section;
    }

    private static string TargetName(int index) => $"loss{Rates[index] * 100}";
}
