using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// The built probe as its own process inside a network namespace that the test makes: nothing can leave it,
/// so "no internet" is the truth there, and loss is injected with iptables rules that live only inside it.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class NamespaceTests
{
    [Fact]
    public async Task No_route_at_all_gives_up_0_with_cause_local_and_whole_lost_packets()
    {
        await using var network = await LabFixture.NamespaceAsync();

        // The defaults: public anchors, gateway auto (none in here), DNS and HTTP to public servers.
        await using var probe = LabFixture.StartProbe(network, new Dictionary<string, string> { ["Monitor__Outage__DownAfter"] = "00:00:02" });

        // The outage is counted once its start is kept in the history, a moment after it is declared.
        var metrics = await probe.UntilAsync(
            m => m.Value("internet_monitor_up") == 0 && m.Value("internet_monitor_outages_total", ("cause", "local")) == 1,
            "internet_monitor_up 0 and the outage counted");

        Assert.Equal(1, metrics.Value("internet_monitor_outage_active", ("cause", "local")));
        var lost = metrics.Samples("internet_monitor_ping_packet_loss_total");
        Assert.NotEmpty(lost);
        Assert.All(lost, sample => Assert.True(sample.Value >= 1 && sample.Value == Math.Floor(sample.Value), $"{sample.Value} is not a whole number of packets"));
        Assert.All(metrics.Samples("internet_monitor_ping_failures_total"), sample => Assert.Equal("no_route", sample.Labels["reason"]));
        Assert.NotNull(metrics.Value("internet_monitor_ping_latency_seconds_count", ("target", "cloudflare")));
        Assert.Equal(200, await probe.HttpStatusAsync("/health"));
        await probe.WaitForLogAsync("Internet DOWN (cause local)", TestContext.Current.CancellationToken); // kept in the history first, then logged
    }

    [Fact]
    public async Task Public_targets_silent_while_the_gateway_answers_is_an_internet_outage_that_ends_when_they_return()
    {
        await using var network = await LabFixture.NamespaceAsync();
        Prerequisite.RequireProgram("iptables", "iptables");
        var rule = LabFixture.SilentAnchors;
        await using var probe = LabFixture.StartProbe(network, LabFixture.AnchorsAndRouter());
        await probe.UntilAsync(m => m.Value("internet_monitor_up") == 1, "internet_monitor_up 1 before the cut");

        await network.RunAsync(["iptables", "-A", .. rule]);
        var down = await probe.UntilAsync(m => m.Value("internet_monitor_up") == 0, "internet_monitor_up 0 after the cut");
        Assert.Equal(1, down.Value("internet_monitor_outage_active", ("cause", "internet")));
        Assert.Equal(1, down.Value("internet_monitor_gateway_up"));

        await network.RunAsync(["iptables", "-D", .. rule]);
        var up = await probe.UntilAsync(m => m.Value("internet_monitor_up") == 1, "internet_monitor_up 1 after the restore");
        Assert.Equal(1, up.Value("internet_monitor_outages_total", ("cause", "internet")));
        Assert.True(up.Value("internet_monitor_outage_seconds_total", ("cause", "internet")) >= 1);
        Assert.Equal(0, up.Value("internet_monitor_outage_active", ("cause", "internet")));
        await probe.WaitForLogAsync("Internet UP again: outage (cause internet)", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_firewall_that_refuses_the_send_is_counted_as_permission_denied()
    {
        await using var network = await LabFixture.NamespaceAsync();
        Prerequisite.RequireProgram("iptables", "iptables");
        await network.RunAsync("iptables", "-A", "OUTPUT", "-p", "icmp", "-d", "127.0.0.2", "-j", "DROP");
        await using var probe = LabFixture.StartProbe(network, Loopback(new() { ["Monitor__Icmp__Interval"] = "00:00:00.2" }));

        var metrics = await probe.UntilAsync(
            m => m.Value("internet_monitor_ping_failures_total", ("target", "b"), ("reason", "permission_denied")) >= 3,
            "permission_denied failures for b");

        Assert.Equal(1, metrics.Value("internet_monitor_up"));
        Assert.Equal(0, metrics.Value("internet_monitor_ping_packet_loss_total", ("target", "a")));
        Assert.Contains("Target b (127.0.0.2) losing echoes", probe.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unprivileged_ping_sockets_are_used_where_ping_group_range_allows_them()
    {
        await using var network = await LabFixture.NamespaceAsync();
        await network.SysctlAsync("net.ipv4.ping_group_range", "0 2147483647");
        await using var probe = LabFixture.StartProbe(network, Loopback(new() { ["Monitor__Icmp__SocketKind"] = "Datagram" }), asUser: "65534:65534");

        var metrics = await probe.UntilAsync(m => m.Value("internet_monitor_ping_packets_received_total", ("target", "a")) >= 2, "replies over a ping socket");

        Assert.Equal(1, metrics.Value("internet_monitor_up"));
        Assert.Contains("uses an unprivileged datagram (ping) socket", probe.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_raw_sockets_or_ping_group_range_the_probe_stops_with_a_clear_message()
    {
        await using var network = await LabFixture.NamespaceAsync();
        await network.SysctlAsync("net.ipv4.ping_group_range", "1 0");
        await using var probe = LabFixture.StartProbe(network, Loopback(new()), asUser: "65534:65534");

        var exitCode = await probe.WaitForExitAsync();

        Assert.Equal(3, exitCode);
        Assert.Contains("Cannot start: cannot open an ICMP socket for IPv4 (raw: AccessDenied, datagram: AccessDenied)", probe.Log, StringComparison.Ordinal);
        Assert.Contains("net.ipv4.ping_group_range (now '1 0'", probe.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dns_and_http_failures_without_any_network_are_reasons_not_crashes()
    {
        await using var network = await LabFixture.NamespaceAsync();
        var settings = Loopback(new()
        {
            ["Monitor__Dns__Enabled"] = "true",
            ["Monitor__Dns__StartJitter"] = "00:00:00",
            ["Monitor__Dns__Names__0"] = "example.com",
            ["Monitor__Dns__Servers__nobody"] = "127.0.0.1:1",
            ["Monitor__Http__Enabled"] = "true",
            ["Monitor__Http__StartJitter"] = "00:00:00",
            ["Monitor__Http__Targets__byname__Url"] = "http://example.com/",
            ["Monitor__Http__Targets__closed__Url"] = "http://127.0.0.1:1/",
        });
        await using var probe = LabFixture.StartProbe(network, settings);

        var metrics = await probe.UntilAsync(
            m => m.Value("internet_monitor_job_runs_total", ("check", "dns"), ("outcome", "failure")) >= 1
                 && m.Value("internet_monitor_job_runs_total", ("check", "http"), ("outcome", "failure")) >= 1,
            "DNS and HTTP failures");

        // The resolver's servers are unreachable from here: getaddrinfo says "try again".
        Assert.Equal(1, metrics.Value("internet_monitor_dns_failures_total", ("server", "system"), ("name", "example.com"), ("reason", "temporary_failure")));
        var nobody = Assert.Single(metrics.Samples("internet_monitor_dns_failures_total"), s => s.Labels["server"] == "nobody" && s.Value > 0);
        Assert.Contains(nobody.Labels["reason"], new[] { "network_error", "timeout" });
        Assert.True(metrics.Value("internet_monitor_http_failures_total", ("target", "byname"), ("reason", "dns")) >= 1);
        Assert.True(metrics.Value("internet_monitor_http_failures_total", ("target", "closed"), ("reason", "connect_refused")) >= 1);
        Assert.Contains("DNS example.com via system failing: temporary_failure", probe.Log, StringComparison.Ordinal);
        Assert.Equal(200, await probe.HttpStatusAsync("/health"));
    }

    /// <summary>Three loopback targets named a, b, c; no gateway; no DNS or HTTP jobs, unless the test says otherwise.</summary>
    private static Dictionary<string, string> Loopback(Dictionary<string, string> settings)
    {
        settings.TryAdd("Monitor__Targets__Public__a", "127.0.0.1");
        settings.TryAdd("Monitor__Targets__Public__b", "127.0.0.2");
        settings.TryAdd("Monitor__Targets__Public__c", "127.0.0.3");
        settings.TryAdd("Monitor__Targets__Gateway", "none");
        settings.TryAdd("Monitor__Dns__Enabled", "false");
        settings.TryAdd("Monitor__Http__Enabled", "false");
        settings.TryAdd("Monitor__SpeedTest__Enabled", "false");
        return settings;
    }
}
