using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The Host names the probe answers to, through ASP.NET Core's host filtering and its <c>AllowedHosts</c> key (names
/// separated by semicolons, <c>*</c> for any). Unless the key is set: this machine's names and addresses, loopback, and
/// <c>host.docker.internal</c>, where containers reach it. A web page whose own name an attacker has rebound to the
/// probe's address (DNS rebinding) sends that name as Host and is refused 400, so it cannot read the history.
/// </summary>
public static class AllowedHostNames
{
    public const string Key = "AllowedHosts";

    /// <summary>Where containers reach the host, in the reserved <c>.internal</c> domain: no web page's name can be it.</summary>
    public const string ContainerHost = "host.docker.internal";

    public static WebApplicationBuilder AddAllowedHostNames(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;

        // Runs before ASP.NET Core's own fallback ("*" when the key is empty), which then finds the list set.
        builder.Services.Configure<HostFilteringOptions>(options =>
        {
            var configured = configuration[Key]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            options.AllowedHosts = configured is { Length: > 0 } ? configured : [.. Defaults()];
        });

        // An address that DHCP changes is allowed from the change on, without a restart.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<HostFilteringOptions>, AddressChangeTokenSource>();
        return builder;
    }

    /// <summary>This machine's names and the addresses of its interfaces (IPv6 in brackets, as a Host header writes them), loopback among them.</summary>
    public static IReadOnlyList<string> Defaults()
    {
        var names = new List<string> { "localhost", "127.0.0.1", "[::1]", ContainerHost };
        var host = Environment.MachineName;
        if (host.Length > 0)
        {
            names.Add(host);
            names.Add($"{host}.local"); // mDNS, as phones on the same network find it
            var domain = IPGlobalProperties.GetIPGlobalProperties().DomainName;
            if (domain.Length > 0 && domain != "(none)")
            {
                names.Add($"{host}.{domain}");
            }
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
}
