using System.Globalization;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Peers;

/// <summary>curl -w, the peer for HTTP timing (connect and time to first byte, in seconds from the start) and for throughput.</summary>
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

    /// <summary>The average speed curl reports for a download of <paramref name="url"/>, in bytes per second.</summary>
    public static async Task<double> DownloadAsync(NetworkNamespace network, Uri url)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(url);
        var output = await network.RunAsync("curl", "-s", "-f", "-o", "/dev/null", "--max-time", "60", "-w", "%{speed_download}", url.ToString());
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The average speed curl reports for POSTing <paramref name="file"/> to <paramref name="url"/>, in bytes per second.
    /// Without <c>Expect: 100-continue</c> (as the probe sends none): a server that does not answer it would cost curl a second's wait.
    /// </summary>
    public static async Task<double> UploadAsync(NetworkNamespace network, Uri url, string file)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(url);
        var output = await network.RunAsync("curl", "-s", "-f", "-o", "/dev/null", "--max-time", "60", "-H", "Content-Type: application/octet-stream", "-H", "Expect:",
            "--data-binary", "@" + file, "-w", "%{speed_upload}", url.ToString());
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
