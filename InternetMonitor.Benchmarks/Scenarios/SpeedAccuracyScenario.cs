using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// Speed against a known truth: the lab link shaped with tc tbf at 10, 50 and 200 Mbit/s, 1 and 2.5 Gbit/s, a probe serving speed
/// tests on the far side, `speedtest` (default settings) on the near side, then iperf3 over the same link.
/// </summary>
public sealed class SpeedAccuracyScenario : IScenario
{
    private static readonly long[] Rates = [10_000_000, 50_000_000, 200_000_000, 1_000_000_000, 2_500_000_000];

    public string Name => "speed";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = new ReportSection("8. Speed test accuracy", "Shaped rate", "Direction", "Probe (Mbit/s)", "Probe / shaped", "iperf3 (Mbit/s)", "Probe / iperf3", "Streams");
        var worstOverShaped = 0.0;
        var worstUnderIperf = double.MaxValue;
        foreach (var rate in Rates)
        {
            await using var lab = await LabNetwork.CreateAsync();
            await lab.ShapeAsync(rate);
            await using var server = await context.StartSpeedTestServerAsync(lab.Far);
            var report = await context.SpeedTestAsync(lab.Near, new Uri($"http://{LabNetwork.FarAddress}:{ProbeProcess.Port}/"));
            foreach (var (direction, figures, download) in new[] { ("download", report.Download!, true), ("upload", report.Upload!, false) })
            {
                var iperf = await Iperf3.BitsPerSecondAsync(lab, LabNetwork.FarAddress, download, cancellationToken);
                var probe = figures.BitsPerSecond!.Value;
                worstOverShaped = Math.Max(worstOverShaped, probe / rate);
                worstUnderIperf = Math.Min(worstUnderIperf, probe / iperf);
                section.Row(Mbits(rate), direction, Mbits(probe), Ratio(probe / rate), Mbits(iperf), Ratio(probe / iperf), figures.Streams.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        section.Note("tbf counts the Ethernet, IP and TCP headers of every packet, so the payload of a full link is about 0.96 of the shaped rate (1448 of 1514 bytes); iperf3 and the probe both report payload. "
            + $"iperf3: one TCP stream for {Iperf3.Seconds} s after {Iperf3.Omitted} s left out, the receiver's rate. The probe: the 90th percentile of its timed rounds, streams chosen automatically. "
            + "The link's queue holds 100 ms (tbf latency); its burst is 10 ms of traffic.");
        section.Target("Speed at least 0.95 x iperf3's on the same link", worstUnderIperf >= 0.95, $"lowest {Ratio(worstUnderIperf)} x");
        section.Target("Speed at most 1.02 x the shaped rate", worstOverShaped <= 1.02, $"highest {Ratio(worstOverShaped)} x");
        return section;
    }
}
