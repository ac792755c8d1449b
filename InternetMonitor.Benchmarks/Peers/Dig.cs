using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Peers;

/// <summary>dig (Debian's bind9-dnsutils), the peer for DNS timing: its "Query time" in microseconds (-u), one UDP query, no retry.</summary>
public static partial class Dig
{
    /// <summary>One query for the A record of <paramref name="name"/> at <paramref name="server"/>; its query time in seconds.</summary>
    public static async Task<double> QueryTimeAsync(NetworkNamespace network, IPAddress server, string name)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(server);
        var output = await network.RunAsync("dig", "-u", "+stats", "+tries=1", "+time=2", "+notcp", $"@{server}", name, "A");
        var match = QueryTime().Match(output);
        return match.Success
            ? double.Parse(match.Groups["usec"].Value, CultureInfo.InvariantCulture) / 1e6
            : throw new LabException($"dig printed no query time:\n{output}");
    }

    [GeneratedRegex(@"Query time: (?<usec>\d+) usec")]
    private static partial Regex QueryTime();
}
