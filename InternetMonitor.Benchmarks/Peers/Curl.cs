using System.Globalization;
using System.Text.RegularExpressions;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Peers;

/// <summary>curl -w, the peer for HTTP timing (each phase) and for throughput.</summary>
public static partial class Curl
{
    /// <summary>
    /// One GET of <paramref name="url"/> by curl -w, split into the probe's phases (seconds): dns = time_namelookup,
    /// connect = time_connect - time_namelookup, tls = time_appconnect - time_connect (https), processing =
    /// time_starttransfer - the end of the handshakes, transfer = time_total - time_starttransfer; and the HTTP version.
    /// </summary>
    public static async Task<CurlTiming> TimeAsync(NetworkNamespace network, Uri url, string? authorityFile = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(url);
        string[] trust = authorityFile is null ? [] : ["--cacert", authorityFile];
        var output = await network.RunAsync(["curl", "-s", "-f", "-o", "/dev/null", "--max-time", "10", .. trust, "-w",
            "%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total} %{http_version}", url.ToString()]);
        var parts = output.Trim().Split(' ');
        double At(int index) => double.Parse(parts[index], CultureInfo.InvariantCulture);
        var (lookup, connect, handshake, firstByte, total) = (At(0), At(1), At(2), At(3), At(4));
        var secured = url.Scheme == Uri.UriSchemeHttps;
        return new CurlTiming(lookup, connect - lookup, secured ? handshake - connect : null, firstByte - (secured ? handshake : connect), total - firstByte, parts[5]);
    }

    /// <summary>
    /// What curl does for a connection between the TCP handshake and writing its ClientHello, in seconds, from its
    /// --trace-time log ("Connected to" to "Client hello (1)"): it builds a new OpenSSL context every time, which
    /// curl -w counts in its tls figure although nothing of it is on the wire.
    /// </summary>
    public static async Task<double> TlsSetUpAsync(NetworkNamespace network, Uri url, string? authorityFile = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(url);
        string[] trust = authorityFile is null ? [] : ["--cacert", authorityFile];
        var (code, _, trace) = await network.TryRunAsync(["curl", "-s", "-f", "-o", "/dev/null", "--max-time", "10", "-v", "--trace-time", .. trust, url.ToString()]);
        var connected = Connected().Match(trace);
        var hello = ClientHello().Match(trace);
        return code == 0 && connected.Success && hello.Success
            ? (TimeSpan.Parse(hello.Groups["at"].Value, CultureInfo.InvariantCulture) - TimeSpan.Parse(connected.Groups["at"].Value, CultureInfo.InvariantCulture)).TotalSeconds
            : throw new LabException($"curl -v --trace-time {url} (exit {code}) shows no connect and ClientHello:\n{trace}");
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

    [GeneratedRegex(@"^(?<at>\d\d:\d\d:\d\d\.\d+) \* TLSv1\.[0-3] \(OUT\), TLS handshake, Client hello \(1\):", RegexOptions.Multiline)]
    private static partial Regex ClientHello();

    [GeneratedRegex(@"^(?<at>\d\d:\d\d:\d\d\.\d+) \* Connected to ", RegexOptions.Multiline)]
    private static partial Regex Connected();
}

/// <summary>curl's figures for one request, in seconds, cut where the probe cuts its phases.</summary>
public sealed record CurlTiming(double Dns, double Connect, double? Tls, double Processing, double Transfer, string Version);
