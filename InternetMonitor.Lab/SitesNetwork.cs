using System.Globalization;
using System.Net;

namespace InternetMonitor.Lab;

/// <summary>
/// Several sites and the central machine they write to, each a network namespace: every site is joined to the central
/// one by a veth of its own (its uplink, which can be cut and restored alone), addresses from 192.0.2.0/24 in /30s: site
/// <c>i</c> (from 1) is 192.0.2.(4i+1), the central machine is 192.0.2.(4i+2) on that link. Nothing routes between the
/// sites, or anywhere else. Disposing stops every process inside the namespaces, by process id, and deletes them.
/// </summary>
public sealed class SitesNetwork : IAsyncDisposable
{
    /// <summary>A site's end of its uplink.</summary>
    public const string Uplink = "uplink";

    private SitesNetwork(NetworkNamespace central, IReadOnlyList<NetworkNamespace> sites) => (Central, Sites) = (central, sites);

    public NetworkNamespace Central { get; }

    /// <summary>The sites, the first being site 1.</summary>
    public IReadOnlyList<NetworkNamespace> Sites { get; }

    /// <summary>Site <paramref name="site"/>'s address on its uplink.</summary>
    public static IPAddress SiteAddress(int site) => Address(site, 1);

    /// <summary>The central machine's address on site <paramref name="site"/>'s uplink: where that site reaches it.</summary>
    public static IPAddress CentralAddress(int site) => Address(site, 2);

    /// <summary>Builds the central namespace and <paramref name="count"/> sites (sweeping what a killed run left first).</summary>
    public static async Task<SitesNetwork> CreateAsync(int count)
    {
        if (count is < 1 or > 60)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "1 to 60 sites fit 192.0.2.0/24 in /30s");
        }

        await NetworkNamespace.SweepAbandonedAsync().ConfigureAwait(false);
        var made = new List<NetworkNamespace>();
        try
        {
            var central = await NetworkNamespace.CreateAsync().ConfigureAwait(false);
            made.Add(central);
            for (var site = 1; site <= count; site++)
            {
                var network = await NetworkNamespace.CreateAsync().ConfigureAwait(false);
                made.Add(network);
                var far = CentralLink(site);
                await Command.RunAsync("ip", "link", "add", Uplink, "netns", network.Name, "type", "veth", "peer", "name", far, "netns", central.Name).ConfigureAwait(false);
                await network.RunAsync("ip", "addr", "add", $"{SiteAddress(site)}/30", "dev", Uplink).ConfigureAwait(false);
                await network.RunAsync("ip", "link", "set", Uplink, "up").ConfigureAwait(false);
                await central.RunAsync("ip", "addr", "add", $"{CentralAddress(site)}/30", "dev", far).ConfigureAwait(false);
                await central.RunAsync("ip", "link", "set", far, "up").ConfigureAwait(false);
            }

            return new SitesNetwork(central, made.Skip(1).ToList());
        }
        catch
        {
            foreach (var network in made)
            {
                await network.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Cuts site <paramref name="site"/>'s uplink, both ends down, as when its line fails.</summary>
    public async Task CutAsync(int site)
    {
        await Sites[site - 1].RunAsync("ip", "link", "set", Uplink, "down").ConfigureAwait(false);
        await Central.RunAsync("ip", "link", "set", CentralLink(site), "down").ConfigureAwait(false);
    }

    /// <summary>Restores a cut uplink; its addresses come back with it.</summary>
    public async Task RestoreAsync(int site)
    {
        await Central.RunAsync("ip", "link", "set", CentralLink(site), "up").ConfigureAwait(false);
        await Sites[site - 1].RunAsync("ip", "link", "set", Uplink, "up").ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var site in Sites)
        {
            await site.DisposeAsync().ConfigureAwait(false);
        }

        await Central.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The central machine's end of site <paramref name="site"/>'s uplink.</summary>
    private static string CentralLink(int site) => string.Create(CultureInfo.InvariantCulture, $"site{site}");

    private static IPAddress Address(int site, int host) => IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"192.0.2.{(4 * site) + host}"));
}
