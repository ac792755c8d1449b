using System.Globalization;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Peers;

/// <summary>curl -w, the peer for HTTP timing: connect and time to first byte, in seconds from the start.</summary>
public static class Curl
{
    public static async Task<(double Connect, double FirstByte)> TimeAsync(NetworkNamespace network, Uri url)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(url);
        var output = await network.RunAsync("curl", "-s", "-o", "/dev/null", "--max-time", "10", "-w", "%{time_connect} %{time_starttransfer}", url.ToString());
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
