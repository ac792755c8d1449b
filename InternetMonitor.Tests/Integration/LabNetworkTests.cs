using System.Globalization;
using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// The probe in the lab's near namespace, its targets on the far side of a veth link, answered by the lab's
/// user-space responder with a known loss: what must not regress. Figures (how precise, how fast) belong to
/// `make bench`; these tests hold only what a loaded machine cannot change.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class LabNetworkTests
{
    private static readonly IPAddress[] Targets = [IPAddress.Parse("192.0.2.11"), IPAddress.Parse("192.0.2.12"), IPAddress.Parse("2001:db8::13")];

    [Fact]
    public async Task Five_percent_loss_is_counted_packet_for_packet()
    {
        await using var lab = await LabFixture.NetworkAsync();
        var target = Targets[0];
        var responder = await lab.StartResponderAsync(new Dictionary<IPAddress, EchoProfile> { [target] = new(TimeSpan.Zero, Loss: 0.05) }, seed: 5);
        await using var probe = LabFixture.StartProbe(lab.Near, Settings(new()
        {
            ["Monitor__Targets__Public__far"] = target.ToString(),
            ["Monitor__Icmp__Interval"] = "00:00:00.01",
            ["Monitor__Icmp__Timeout"] = "00:00:00.5",
        }));
        await probe.UntilAsync(m => m.Value("internet_monitor_ping_packets_sent_total", ("target", "far")) >= 1000, "1000 echoes sent", TimeSpan.FromMinutes(2));

        // Stop the echoes at the near side (sends now fail with reason permission_denied, not timeout), let every
        // echo already sent be answered or time out, then the probe's counts must be the responder's.
        await lab.Near.RunAsync("iptables", "-A", "OUTPUT", "-p", "icmp", "--icmp-type", "echo-request", "-j", "DROP");
        var drops = await Settled(responder, target);
        var metrics = await probe.UntilAsync(
            m => m.Value("internet_monitor_ping_packets_received_total", ("target", "far")) + Timeouts(m) == drops.Count,
            $"every one of the {drops.Count} echoes the responder saw resolved as a reply or a timeout");

        Assert.Equal(drops.Count(dropped => dropped), Timeouts(metrics));
        Assert.Equal(drops.Count(dropped => !dropped), metrics.Value("internet_monitor_ping_packets_received_total", ("target", "far")));
        Assert.InRange(drops.Count(dropped => dropped) / (double)drops.Count, 0.03, 0.07); // the profile really dropped about 5 %
        Assert.Equal(0, metrics.Value("internet_monitor_ping_late_replies_total", ("target", "far")) ?? 0);
    }

    [Fact]
    public async Task A_cut_link_is_an_outage_and_its_restoration_ends_it()
    {
        await using var lab = await LabFixture.NetworkAsync();
        await lab.StartResponderAsync(Targets.ToDictionary(target => target, _ => EchoProfile.Immediate));
        await using var probe = LabFixture.StartProbe(lab.Near, Settings(new()
        {
            ["Monitor__Icmp__Interval"] = "00:00:00.2",
            ["Monitor__Icmp__Timeout"] = "00:00:00.5",
            ["Monitor__Outage__DownAfter"] = "00:00:01",
        }));
        var before = await probe.UntilAsync(m => m.Value("internet_monitor_up") == 1, "internet_monitor_up 1 before the cut");
        Assert.Equal(1, before.Value("internet_monitor_target_up", ("target", "t2"))); // the IPv6 target answers through the lab too

        await lab.CutAsync();
        var down = await probe.UntilAsync(m => m.Value("internet_monitor_up") == 0, "internet_monitor_up 0 after the cut");
        Assert.Equal(1, down.Sum("internet_monitor_outage_active"));

        await lab.RestoreAsync();
        var up = await probe.UntilAsync(m => m.Value("internet_monitor_up") == 1, "internet_monitor_up 1 after the restore");
        Assert.Equal(1, up.Sum("internet_monitor_outages_total"));
        Assert.Equal(0, up.Sum("internet_monitor_outage_active"));
        await probe.WaitForLogAsync("Internet UP again", TestContext.Current.CancellationToken); // kept in the history first, then logged
    }

    [Fact]
    public async Task Twenty_percent_random_loss_never_declares_an_outage()
    {
        await using var lab = await LabFixture.NetworkAsync();
        await lab.StartResponderAsync(Targets.ToDictionary(target => target, _ => new EchoProfile(TimeSpan.Zero, Loss: 0.2)), seed: 20);

        // 50 echoes a second per target; an outage needs every target silent for a whole second.
        await using var probe = LabFixture.StartProbe(lab.Near, Settings(new()
        {
            ["Monitor__Icmp__Interval"] = "00:00:00.02",
            ["Monitor__Icmp__Timeout"] = "00:00:00.5",
            ["Monitor__Outage__DownAfter"] = "00:00:01",
        }));

        var metrics = await probe.UntilAsync(
            m => m.Sum("internet_monitor_ping_packets_sent_total") >= 4500,
            "1500 echoes to each of three targets", TimeSpan.FromSeconds(120));

        Assert.All(metrics.Samples("internet_monitor_outages_total"), sample => Assert.Equal(0, sample.Value));
        Assert.Equal(1, metrics.Value("internet_monitor_up"));
        var received = metrics.Sum("internet_monitor_ping_packets_received_total");
        var lost = metrics.Sum("internet_monitor_ping_packet_loss_total");
        Assert.InRange(lost / (lost + received), 0.15, 0.25); // the responder really dropped about a fifth
    }

    private static double Timeouts(MetricsText metrics) =>
        metrics.Value("internet_monitor_ping_failures_total", ("target", "far"), ("reason", "timeout")) ?? 0;

    /// <summary>The responder's verdicts once no new echo has reached it for half a second.</summary>
    private static Task<IReadOnlyList<bool>> Settled(EchoResponder responder, IPAddress target)
    {
        var last = -1;
        return Poll.UntilAsync(
            () => Task.FromResult(responder.Drops(LabNetwork.NearAddress, target)),
            drops =>
            {
                // Settled when a read half a second on counts as many as the one before.
                var settled = drops.Count == last;
                last = drops.Count;
                return settled;
            },
            "no new echo reaching the responder after they were blocked",
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(500),
            explain: drops => Task.FromResult($"{drops.Count} so far"));
    }

    /// <summary>The targets t0, t1, t2 (t2 over IPv6); no gateway; no DNS or HTTP jobs, unless the test says otherwise.</summary>
    private static Dictionary<string, string> Settings(Dictionary<string, string> settings)
    {
        if (!settings.Keys.Any(key => key.StartsWith("Monitor__Targets__Public__", StringComparison.Ordinal)))
        {
            for (var i = 0; i < Targets.Length; i++)
            {
                settings[$"Monitor__Targets__Public__t{i.ToString(CultureInfo.InvariantCulture)}"] = Targets[i].ToString();
            }
        }

        settings.TryAdd("Monitor__Targets__Gateway", "none");
        settings.TryAdd("Monitor__Dns__Enabled", "false");
        settings.TryAdd("Monitor__Http__Enabled", "false");
        settings.TryAdd("Monitor__SpeedTest__Enabled", "false");
        return settings;
    }
}
