using System.Net;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Targets;

[Trait(Layer.Key, Layer.Unit)]
public sealed class TargetResolverTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("im-routes-").FullName;

    // Real /proc/net/route content: a default route via 192.168.1.1 (hex little-endian 0101A8C0), metric 100.
    private const string Ipv4Routes = """
        Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
        eth0	00000000	0101A8C0	0003	0	0	100	00000000	0	0	0
        eth0	0001A8C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
        wlan0	00000000	FE01A8C0	0003	0	0	600	00000000	0	0	0
        """;

    private const string Ipv6Routes = """
        20010db8000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db8000000000000000000000001 00000400 00000001 00000000 00000003     eth0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
        """;

    [Fact]
    public void The_default_gateway_with_the_lowest_metric_is_read_from_the_routing_table()
    {
        var routes = Routes(Ipv4Routes, "");
        Assert.Equal(IPAddress.Parse("192.168.1.1"), routes.DefaultGatewayV4());
    }

    [Fact]
    public void The_ipv6_default_route_is_found_and_the_unreachable_route_on_lo_is_not_one()
    {
        Assert.True(Routes("", Ipv6Routes).HasIPv6DefaultRoute());
        Assert.Equal(IPAddress.Parse("2001:db8::1"), Routes("", Ipv6Routes).DefaultGatewayV6());
        Assert.False(Routes("", Ipv6Routes.Split('\n')[2]).HasIPv6DefaultRoute());
    }

    [Fact]
    public void Missing_routing_tables_mean_no_gateway_rather_than_a_crash()
    {
        var routes = new RouteTable(Path.Combine(_folder, "absent"), Path.Combine(_folder, "absent6"));
        Assert.Null(routes.DefaultGatewayV4());
        Assert.False(routes.HasIPv6DefaultRoute());
    }

    [Fact]
    public void No_configured_targets_means_the_public_anchors_plus_the_detected_gateway()
    {
        var targets = Resolve(new TargetOptions(), Routes(Ipv4Routes, ""));

        Assert.Equal(["cloudflare", "google", "quad9", "gateway"], targets.Select(target => target.Name));
        Assert.Equal(IPAddress.Parse("192.168.1.1"), targets[^1].Address);
        Assert.Equal(TargetRole.Gateway, targets[^1].Role);
    }

    [Fact]
    public void An_ipv6_default_route_adds_the_ipv6_anchors()
    {
        var targets = Resolve(new TargetOptions(), Routes(Ipv4Routes, Ipv6Routes));
        Assert.Contains(targets, target => target.Address.Equals(IPAddress.Parse("2606:4700:4700::1111")));
        Assert.Equal(7, targets.Count);
    }

    [Fact]
    public void Configured_targets_replace_the_defaults_and_the_gateway_can_be_set_or_switched_off()
    {
        var options = new TargetOptions { Public = { ["isp-dns"] = "192.0.2.53" }, Gateway = "none" };
        Assert.Equal(["isp-dns"], Resolve(options, Routes(Ipv4Routes, "")).Select(target => target.Name));

        options.Gateway = "192.0.2.254";
        var gateway = Resolve(options, Routes(Ipv4Routes, ""))[^1];
        Assert.Equal(IPAddress.Parse("192.0.2.254"), gateway.Address);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RouteTable Routes(string ipv4, string ipv6)
    {
        var v4 = Path.Combine(_folder, Guid.NewGuid().ToString("n"));
        var v6 = Path.Combine(_folder, Guid.NewGuid().ToString("n"));
        File.WriteAllText(v4, ipv4);
        File.WriteAllText(v6, ipv6);
        return new RouteTable(v4, v6);
    }

    private static IReadOnlyList<PingTarget> Resolve(TargetOptions options, RouteTable routes) =>
        new TargetResolver(Options.Create(options), routes).Resolve();
}
