using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// A real program serving HTTP (PHP's built-in server, nginx, node-exporter, Alertmanager) on a free loopback port, ready when it accepts a
/// connection; stopped by process id, its scratch folder deleted.
/// </summary>
public sealed class WebServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly string? _owned;

    private WebServerProcess(Process process, string folder, int port, string? owned)
    {
        _process = process;
        _folder = folder;
        _owned = owned;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Url { get; }

    /// <summary><c>php -S</c> serving the files of <paramref name="documents"/> (a LibreSpeed backend's PHP files).</summary>
    public static Task<WebServerProcess> StartPhpAsync(string documents)
    {
        var php = Prerequisite.RequireProgram("php", "php-cli");
        return StartAsync(port => [php, "-S", $"127.0.0.1:{port}", "-t", documents], _ => { });
    }

    /// <summary>nginx serving <paramref name="documents"/> as static files (with Range support).</summary>
    public static Task<WebServerProcess> StartNginxAsync(string documents)
    {
        var nginx = Prerequisite.RequireProgram("nginx", "nginx-light");
        return StartAsync(
            port => [nginx, "-p", "{folder}", "-c", "{folder}/nginx.conf", "-e", "{folder}/error.log", "-g", "daemon off; master_process off;"],
            (folder, port) => File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
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
                    server {
                        listen 127.0.0.1:{{port}};
                        root {{documents}};
                    }
                }
                """));
    }

    /// <summary>Debian's prometheus-node-exporter.</summary>
    public static Task<WebServerProcess> StartNodeExporterAsync()
    {
        var exporter = Prerequisite.RequireProgram("prometheus-node-exporter", "prometheus-node-exporter");
        return StartAsync(port => [exporter, $"--web.listen-address=127.0.0.1:{port}"], _ => { });
    }

    /// <summary>
    /// Debian's prometheus-alertmanager with <paramref name="config"/>, alone (no cluster), its data in the scratch folder;
    /// <paramref name="owned"/>, the folder the configuration was rendered into, is deleted with it.
    /// </summary>
    public static Task<WebServerProcess> StartAlertmanagerAsync(string config, string? owned = null)
    {
        var alertmanager = Prerequisite.RequireProgram("prometheus-alertmanager", "prometheus-alertmanager");
        return StartAsync(
            port => [alertmanager, $"--config.file={config}", "--storage.path={folder}/data", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"],
            _ => { },
            owned);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
        if (_owned is not null)
        {
            Directory.Delete(_owned, recursive: true);
        }
    }

    private static Task<WebServerProcess> StartAsync(Func<int, string[]> command, Action<string> prepare, string? owned = null) =>
        StartAsync(command, (folder, _) => prepare(folder), owned);

    private static async Task<WebServerProcess> StartAsync(Func<int, string[]> command, Action<string, int> prepare, string? owned = null)
    {
        var folder = Directory.CreateTempSubdirectory("im-web-").FullName;
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.FreeTcp();
            prepare(folder, port);
            var arguments = command(port).Select(argument => argument.Replace("{folder}", folder, StringComparison.Ordinal)).ToArray();
            var info = new ProcessStartInfo(arguments[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments.Skip(1))
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            var server = new WebServerProcess(process, folder, port, owned);
            if (await AcceptsAsync(process, port))
            {
                return server;
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            Assert.True(attempt < 3, $"{arguments[0]} did not start: {await stderr}");
        }
    }

    private static Task<bool> AcceptsAsync(Process process, int port) =>
        Poll.HoldsAsync(
            async () =>
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            TimeSpan.FromMilliseconds(50),
            () => process.HasExited ? "it exited" : null);
}
