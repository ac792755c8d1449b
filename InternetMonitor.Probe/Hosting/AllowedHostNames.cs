using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The Host names the probe answers to, through ASP.NET Core's host filtering and its <c>AllowedHosts</c> key (names
/// separated by semicolons, <c>*.example.org</c> for its subdomains, <c>*</c> for any). Loopback and
/// <c>host.docker.internal</c> (where containers reach it) always; beyond them the key's names, or, unless it is set,
/// this machine's names (with each search domain of /etc/resolv.conf), the addresses of its interfaces, and any name in
/// a domain for private networks (<c>.local</c>, <c>.home.arpa</c>, <c>.internal</c>, <c>.lan</c>, <c>.home</c>,
/// <c>.localdomain</c>), which no web page's owner can hold. A web page whose own name an attacker has rebound to the
/// probe's address (DNS rebinding) sends that name as Host and is refused 400, so it cannot read the history.
/// </summary>
public static class AllowedHostNames
{
    public const string Key = "AllowedHosts";

    /// <summary>Where containers reach the host, in the reserved <c>.internal</c> domain: no web page's name can be it.</summary>
    public const string ContainerHost = "host.docker.internal";

    private const string ResolverConfiguration = "/etc/resolv.conf";

    public static WebApplicationBuilder AddAllowedHostNames(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;

        // Runs before ASP.NET Core's own fallback ("*" when the key is empty), which then finds the list set.
        builder.Services.Configure<HostFilteringOptions>(options =>
        {
            var configured = configuration[Key]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            options.AllowedHosts = [.. Always, .. configured is { Length: > 0 } ? configured : Defaults()];
        });

        // An address that DHCP changes is allowed from the change on, without a restart.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<HostFilteringOptions>, AddressChangeTokenSource>();
        return builder;
    }

    /// <summary>Names allowed whatever the key says: the stack's own parts call the probe by them.</summary>
    public static IReadOnlyList<string> Always { get; } = ["localhost", "127.0.0.1", "[::1]", ContainerHost];

    /// <summary>Domains for private networks, delegated to no one on the internet: a web page cannot have a name in them.</summary>
    public static IReadOnlyList<string> PrivateDomains { get; } = ["*.local", "*.home.arpa", "*.internal", "*.lan", "*.home", "*.localdomain"];

    /// <summary>
    /// This machine's names (with each search domain), the addresses of its interfaces (IPv6 in brackets, as a Host
    /// header writes them) and <see cref="PrivateDomains"/>.
    /// </summary>
    public static IReadOnlyList<string> Defaults() => Defaults(Environment.MachineName, SearchDomains(ResolverConfiguration));

    /// <summary>The defaults for <paramref name="host"/> in <paramref name="domains"/>, with this machine's addresses.</summary>
    public static IReadOnlyList<string> Defaults(string host, IEnumerable<string> domains)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(domains);
        var names = new List<string>(PrivateDomains);
        if (host.Length > 0)
        {
            names.Add(host);
            names.AddRange(domains.Select(domain => $"{host}.{domain.TrimEnd('.')}"));
        }

        try
        {
            foreach (var address in NetworkInterface.GetAllNetworkInterfaces().SelectMany(nic => nic.GetIPProperties().UnicastAddresses).Select(unicast => unicast.Address))
            {
                names.Add(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{new IPAddress(address.GetAddressBytes())}]" : address.ToString());
            }
        }
        catch (NetworkInformationException)
        {
            // The names and loopback above still hold.
        }

        return [.. names.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The domains of <c>search</c> and <c>domain</c> lines in <paramref name="path"/> (resolv.conf(5)); none when it cannot be read.</summary>
    public static IReadOnlyList<string> SearchDomains(string path)
    {
        try
        {
            return [.. File.ReadLines(path)
                .Select(line => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Where(words => words is ["search" or "domain", _, ..])
                .SelectMany(words => words.Skip(1))
                .Where(domain => domain != ".")
                .Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
