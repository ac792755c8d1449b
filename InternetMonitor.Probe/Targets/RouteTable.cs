using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;

namespace InternetMonitor.Probe.Targets;

/// <summary>Reads Linux's routing tables from /proc: default gateways and whether IPv6 has a default route.</summary>
public sealed class RouteTable(string ipv4RoutesPath = "/proc/net/route", string ipv6RoutesPath = "/proc/net/ipv6_route")
{
    private const int RouteFlagUp = 0x1;
    private const int RouteFlagGateway = 0x2;

    /// <summary>The IPv4 default gateway with the lowest metric, or null.</summary>
    public IPAddress? DefaultGatewayV4()
    {
        // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT; addresses in host byte order hex.
        return ReadLines(ipv4RoutesPath).Skip(1)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 8 && fields[1] == "00000000" && fields[7] == "00000000")
            .Where(fields => (ParseHex(fields[3]) & (RouteFlagUp | RouteFlagGateway)) == (RouteFlagUp | RouteFlagGateway))
            .OrderBy(fields => ParseHex(fields[6]))
            // The kernel prints the address as the integer its network-order bytes make on this host, which is
            // exactly what IPAddress(long) takes.
            .Select(fields => new IPAddress(ParseHex(fields[2])))
            .FirstOrDefault();
    }

    /// <summary>The IPv6 default gateway with the lowest metric (with its scope for link-local), or null.</summary>
    public IPAddress? DefaultGatewayV6() => DefaultRoutesV6()
        .Where(route => !route.NextHop.Equals(IPAddress.IPv6Any))
        .OrderBy(route => route.Metric)
        .Select(route => WithScope(route.NextHop, route.Interface))
        .FirstOrDefault();

    public bool HasIPv6DefaultRoute() => DefaultRoutesV6().Any();

    private IEnumerable<(IPAddress NextHop, uint Metric, string Interface)> DefaultRoutesV6()
    {
        // dest destlen src srclen nexthop metric refcnt use flags iface; "lo" carries the unreachable default.
        return ReadLines(ipv6RoutesPath)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 10 && fields[0] == new string('0', 32) && fields[1] == "00" && fields[9] != "lo")
            .Where(fields => (ParseHex(fields[8]) & RouteFlagUp) != 0)
            .Select(fields => (new IPAddress(Convert.FromHexString(fields[4])), ParseHex(fields[5]), fields[9]));
    }

    private static IPAddress WithScope(IPAddress address, string interfaceName)
    {
        if (!address.IsIPv6LinkLocal)
        {
            return address;
        }

        var index = NetworkInterface.GetAllNetworkInterfaces()
            .FirstOrDefault(nic => nic.Name == interfaceName)?.GetIPProperties().GetIPv6Properties()?.Index;
        return index is { } scope ? new IPAddress(address.GetAddressBytes(), scope) : address;
    }

    private static uint ParseHex(string value) => uint.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
