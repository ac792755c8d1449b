using System.Diagnostics;
using System.Globalization;
using System.Net;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// Outage detection with the probe's defaults (1 echo a second, timeout 2 s, down after 5 s, up after 3
/// replies): the link is cut, and the time until `internet_monitor_up` reads 0 is taken by polling /metrics
/// every 100 ms; restored, the time until it reads 1. Then several minutes at 20 % random loss (the iptables
/// statistic match on the far side), where no outage may be declared.
/// </summary>
public sealed class OutageScenario : IScenario
{
    private static readonly TimeSpan LossyPeriod = TimeSpan.FromMinutes(3);

    public string Name => "outage";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        var addresses = FarAddresses(41, 3);
        var profiles = new Dictionary<IPAddress, EchoProfile>();
        var names = new Dictionary<string, string>();
        for (var i = 0; i < addresses.Count; i++)
        {
            profiles[addresses[i]] = new EchoProfile(TimeSpan.FromMilliseconds(10));
            names[$"t{i}"] = addresses[i].ToString();
        }

        await lab.StartResponderAsync(profiles);
        await using var probe = await context.StartProbeAsync(lab.Near, names);
        await probe.WaitForAsync(m => m.Value("internet_monitor_up") == 1, "internet_monitor_up 1", TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);

        var clock = Stopwatch.StartNew();
        await lab.CutAsync();
        await probe.WaitForAsync(m => m.Value("internet_monitor_up") == 0, "internet_monitor_up 0 after the cut", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100), cancellationToken);
        var down = clock.Elapsed;

        clock.Restart();
        await lab.RestoreAsync();
        await probe.WaitForAsync(m => m.Value("internet_monitor_up") == 1, "internet_monitor_up 1 after the restore", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100), cancellationToken);
        var up = clock.Elapsed;

        var before = await probe.TryMetricsAsync() ?? throw new LabException("the probe did not answer /metrics");
        await lab.DropEchoRequestsAsync(0.2);
        await Task.Delay(LossyPeriod, cancellationToken);
        var after = await probe.TryMetricsAsync() ?? throw new LabException("the probe did not answer /metrics");
        var falseOutages = Sum(after, "internet_monitor_outages_total") - Sum(before, "internet_monitor_outages_total");
        var lost = Sum(after, "internet_monitor_ping_packet_loss_total") - Sum(before, "internet_monitor_ping_packet_loss_total");
        var sent = Sum(after, "internet_monitor_ping_packets_sent_total") - Sum(before, "internet_monitor_ping_packets_sent_total");

        var section = new ReportSection("4. Outage detection", "Event", "Measured", "Target", "Met");
        var downMet = section.Target("Outage declared within 10 s of a cut", down.TotalSeconds <= 10, $"{Seconds(down)} s");
        section.Target("Zero false outages at 20 % random loss", falseOutages == 0, $"{falseOutages} in {LossyPeriod.TotalMinutes} min");
        section.Row("Link cut: until `internet_monitor_up` reads 0", $"{Seconds(down)} s", "at most 10 s", downMet ? "yes" : "**no**");
        section.Row("Link restored: until `internet_monitor_up` reads 1", $"{Seconds(up)} s", "(3 replies at 1 Hz)", "-");
        section.Row($"False outages in {LossyPeriod.TotalMinutes} min at 20 % random loss", $"{falseOutages} ({Percent(lost / sent)} of {sent} echoes lost)", "0", falseOutages == 0 ? "yes" : "**no**");
        section.Note("Probe defaults: `Monitor:Icmp:Interval` 1 s, `Timeout` 2 s, `Monitor:Outage:DownAfter` 5 s, `UpAfterReplies` 3; three targets behind the link. Times include up to 100 ms of polling.");
        return section;
    }

    private static double Sum(MetricsText metrics, string name) => metrics.Samples(name).Sum(sample => sample.Value);

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
