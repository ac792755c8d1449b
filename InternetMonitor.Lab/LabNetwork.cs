using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Lab;

/// <summary>
/// Two network namespaces joined by a veth pair: <see cref="Near"/>, where the probe and the peer tools run,
/// and <see cref="Far"/>, which plays the internet. Addresses come from the documentation ranges
/// (192.0.2.0/24, 2001:db8::/64). The far side's kernel does not answer echoes: a user-space
/// <see cref="EchoResponder"/> does, with the delay, jitter and loss asked of it per address. Rate shaping
/// uses tc tbf; loss can also come from the iptables statistic match; the link can be cut and restored.
/// Disposing stops the responder and every process inside either namespace, by process id, and deletes both.
/// </summary>
public sealed class LabNetwork : IAsyncDisposable
{
    public const string Link = "lab0";

    public static readonly IPAddress NearAddress = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress NearAddressV6 = IPAddress.Parse("2001:db8::1");
    public static readonly IPAddress FarAddress = IPAddress.Parse("192.0.2.2");
    public static readonly IPAddress FarAddressV6 = IPAddress.Parse("2001:db8::2");

    private readonly List<EchoResponder> _responders = [];

    private LabNetwork(NetworkNamespace near, NetworkNamespace far) => (Near, Far) = (near, far);

    public NetworkNamespace Near { get; }

    public NetworkNamespace Far { get; }

    /// <summary>Builds the two namespaces and the link between them (sweeping what a killed run left first).</summary>
    public static async Task<LabNetwork> CreateAsync()
    {
        await NetworkNamespace.SweepAbandonedAsync().ConfigureAwait(false);
        var near = await NetworkNamespace.CreateAsync().ConfigureAwait(false);
        NetworkNamespace? far = null;
        try
        {
            far = await NetworkNamespace.CreateAsync().ConfigureAwait(false);
            var lab = new LabNetwork(near, far);
            await lab.WireAsync().ConfigureAwait(false);
            return lab;
        }
        catch
        {
            await near.DisposeAsync().ConfigureAwait(false);
            if (far is not null)
            {
                await far.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Puts another address on the far side (an extra "host on the internet").</summary>
    public async Task AddFarAddressAsync(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var prefix = address.AddressFamily == AddressFamily.InterNetworkV6 ? "/64" : "/24";
        string[] flags = address.AddressFamily == AddressFamily.InterNetworkV6 ? ["nodad"] : [];
        await Far.RunAsync(["ip", "addr", "add", address + prefix, "dev", Link, .. flags]).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts each address on the far side (<see cref="AddFarAddressAsync"/>) and starts a responder there that
    /// answers for them, each with its profile.
    /// </summary>
    public async Task<EchoResponder> StartResponderAsync(IReadOnlyDictionary<IPAddress, EchoProfile> profiles, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        foreach (var address in profiles.Keys)
        {
            await AddFarAddressAsync(address);
        }

        var responder = NamespaceThread.Run(Far, () => new EchoResponder(profiles, seed));
        _responders.Add(responder);
        return responder;
    }

    /// <summary>Cuts the link: both ends go down, as when a cable is pulled.</summary>
    public async Task CutAsync()
    {
        await Near.RunAsync("ip", "link", "set", Link, "down").ConfigureAwait(false);
        await Far.RunAsync("ip", "link", "set", Link, "down").ConfigureAwait(false);
    }

    /// <summary>Restores a cut link; addresses and routes come back with it.</summary>
    public async Task RestoreAsync()
    {
        await Far.RunAsync("ip", "link", "set", Link, "up").ConfigureAwait(false);
        await Near.RunAsync("ip", "link", "set", Link, "up").ConfigureAwait(false);
    }

    /// <summary>
    /// Limits the link to <paramref name="bitsPerSecond"/> each way with a token bucket (tc tbf) whose queue holds
    /// <paramref name="queue"/> of traffic (100 ms by default; a deep-buffered line holds far more).
    /// </summary>
    public async Task ShapeAsync(long bitsPerSecond, TimeSpan? queue = null)
    {
        var latency = ((long)(queue ?? TimeSpan.FromMilliseconds(100)).TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var rate = bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit";
        var burst = Math.Max(bitsPerSecond / 8 / 100, 3_000).ToString(CultureInfo.InvariantCulture); // 10 ms of traffic, at least two packets
        foreach (var side in (NetworkNamespace[])[Near, Far])
        {
            await side.RunAsync("tc", "qdisc", "replace", "dev", Link, "root", "tbf", "rate", rate, "burst", burst, "latency", latency).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The TCP congestion control of both sides (a per-namespace setting: the host's stays as it is). Loss-based
    /// <c>reno</c> fills a queue before it backs off, as most home devices' TCP does; <c>bbr</c> keeps it short.
    /// </summary>
    public async Task UseCongestionControlAsync(string algorithm)
    {
        foreach (var side in (NetworkNamespace[])[Near, Far])
        {
            await side.RunAsync("sysctl", "-q", "-w", $"net.ipv4.tcp_congestion_control={algorithm}").ConfigureAwait(false);
        }
    }

    /// <summary>Drops this share of the echo requests that reach the far side (iptables statistic match, IPv4).</summary>
    public Task DropEchoRequestsAsync(double probability) => Far.RunAsync(
        "iptables", "-A", "INPUT", "-p", "icmp", "--icmp-type", "echo-request", "-m", "statistic", "--mode", "random",
        "--probability", probability.ToString(CultureInfo.InvariantCulture), "-j", "DROP");

    public async ValueTask DisposeAsync()
    {
        foreach (var responder in _responders)
        {
            responder.Dispose();
        }

        await Near.DisposeAsync().ConfigureAwait(false);
        await Far.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WireAsync()
    {
        await Command.RunAsync("ip", "link", "add", Link, "netns", Near.Name, "type", "veth", "peer", "name", Link, "netns", Far.Name).ConfigureAwait(false);
        foreach (var (side, v4, v6) in new[] { (Near, NearAddress, NearAddressV6), (Far, FarAddress, FarAddressV6) })
        {
            // Keep IPv6 addresses across a cut, as IPv4 ones are kept.
            await side.SysctlAsync("net.ipv6.conf.all.keep_addr_on_down", "1").ConfigureAwait(false);
            await side.SysctlAsync($"net.ipv6.conf.{Link}.keep_addr_on_down", "1").ConfigureAwait(false);
            await side.RunAsync("ip", "addr", "add", $"{v4}/24", "dev", Link).ConfigureAwait(false);
            await side.RunAsync("ip", "addr", "add", $"{v6}/64", "dev", Link, "nodad").ConfigureAwait(false);
            await side.RunAsync("ip", "link", "set", Link, "up").ConfigureAwait(false);
        }

        await Far.SysctlAsync("net.ipv4.icmp_echo_ignore_all", "1").ConfigureAwait(false);
        await Far.SysctlAsync("net.ipv6.icmp.echo_ignore_all", "1").ConfigureAwait(false);
    }
}
