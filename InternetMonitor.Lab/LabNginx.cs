using System.Globalization;
using System.Net;

namespace InternetMonitor.Lab;

/// <summary>
/// The real nginx serving a small page over HTTPS with a certificate from a <see cref="LabAuthority"/>, offering
/// HTTP/2 or not: the kind of server the probe's default targets are. Runs in a lab namespace (or on loopback) and is
/// stopped by process id; its scratch folder, with the CA file a client trusts, is deleted with it.
/// </summary>
public sealed class LabNginx : IAsyncDisposable
{
    /// <summary>The body of /probe.</summary>
    public const int BodyBytes = 1000;

    private readonly LabProcess _process;
    private readonly string _folder;

    private LabNginx(LabProcess process, string folder, Uri url, string authorityFile)
    {
        _process = process;
        _folder = folder;
        Url = url;
        AuthorityFile = authorityFile;
    }

    /// <summary>https://HOST:PORT/probe.</summary>
    public Uri Url { get; }

    /// <summary>The PEM file of the CA that signed the server's certificate.</summary>
    public string AuthorityFile { get; }

    /// <param name="network">Where it listens; the machine's own network if null.</param>
    /// <param name="address">The address it listens on.</param>
    /// <param name="port">Its port.</param>
    /// <param name="host">The name in the URL and the certificate (the address if null).</param>
    /// <param name="http2">Whether it offers h2 in the TLS handshake.</param>
    public static async Task<LabNginx> StartAsync(NetworkNamespace? network, IPAddress address, int port, string? host, bool http2)
    {
        ArgumentNullException.ThrowIfNull(address);
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new LabException("nginx is not installed (Debian package nginx-light)");
        var folder = Directory.CreateTempSubdirectory("imlab-nginx-").FullName;
        var authorityFile = LabAuthority.Issue(host is null ? [] : [host], [address]).WriteTo(folder);
        Directory.CreateDirectory(Path.Combine(folder, "html"));
        await File.WriteAllTextAsync(Path.Combine(folder, "html", "probe"), new string('x', BodyBytes)).ConfigureAwait(false);
        var listen = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                default_type application/octet-stream;
                server {
                    listen {{listen}} ssl{{(http2 ? " http2" : "")}};
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate {{folder}}/server.pem;
                    ssl_certificate_key {{folder}}/server.key;
                    root {{folder}}/html;
                }
            }
            """).ConfigureAwait(false);
        var process = LabProcess.Start(network, [nginx, "-p", folder, "-c", $"{folder}/nginx.conf", "-e", $"{folder}/error.log", "-g", "daemon off; master_process off;"]);
        var url = new Uri($"https://{host ?? (listen[..listen.LastIndexOf(':')])}:{port.ToString(CultureInfo.InvariantCulture)}/probe");
        var server = new LabNginx(process, folder, url, authorityFile);
        try
        {
            await Polling.UntilAsync(
                async () => (await (network is null ? Command.TryRunAsync("curl", server.CurlCheck(address)) : network.TryRunAsync(["curl", .. server.CurlCheck(address)])).ConfigureAwait(false)).ExitCode == 0,
                up => up, $"nginx answering on {listen}", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50),
                () => process.HasExited ? $"it exited: {process.Log}{ErrorLog(folder)}" : null).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_folder, recursive: true);
    }

    private string[] CurlCheck(IPAddress address) =>
        ["-s", "-f", "-o", "/dev/null", "--max-time", "2", "--cacert", AuthorityFile, "--resolve", $"{Url.Host}:{Url.Port}:{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address)}", Url.ToString()];

    private static string ErrorLog(string folder) =>
        File.Exists(Path.Combine(folder, "error.log")) ? "\n" + File.ReadAllText(Path.Combine(folder, "error.log")) : string.Empty;
}
