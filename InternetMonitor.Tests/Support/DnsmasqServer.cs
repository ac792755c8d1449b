using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The real dnsmasq on a free loopback port, answering from its own records only: known.test has an A record,
/// names under nx.test do not exist (NXDOMAIN), names under slow.test go to an upstream that never answers (so
/// dnsmasq itself keeps the client waiting), anything else is refused (no upstream). Stopped by process id.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    public const string KnownName = "known.test";
    public const string KnownAddress = "192.0.2.10";
    public const string MissingName = "absent.nx.test";
    public const string RefusedName = "elsewhere.example";
    public const string SlowName = "never.slow.test";

    private readonly Process _process;
    private readonly UdpDnsResponder _silentUpstream;

    private DnsmasqServer(Process process, IPEndPoint endpoint, UdpDnsResponder silentUpstream)
    {
        _process = process;
        Endpoint = endpoint;
        _silentUpstream = silentUpstream;
    }

    public IPEndPoint Endpoint { get; }

    public static async Task<DnsmasqServer> StartAsync()
    {
        var dnsmasq = Prerequisite.RequireProgram("dnsmasq", "dnsmasq-base");
        for (var attempt = 1; ; attempt++)
        {
            var upstream = UdpDnsResponder.Silent();
            var port = FreePort();
            var process = Process.Start(new ProcessStartInfo(dnsmasq)
            {
                ArgumentList =
                {
                    "--no-daemon", "--no-resolv", "--no-hosts", "--no-poll", "--conf-file=/dev/null", "--cache-size=0",
                    "--listen-address=127.0.0.1", "--bind-interfaces", $"--port={port}", "--user=root",
                    $"--address=/{KnownName}/{KnownAddress}", "--local=/nx.test/",
                    $"--server=/slow.test/127.0.0.1#{upstream.Endpoint.Port}",
                },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var server = new DnsmasqServer(process, new IPEndPoint(IPAddress.Loopback, port), upstream);
            if (await server.AnswersAsync())
            {
                return server;
            }

            var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "no answer";
            await server.DisposeAsync();
            Assert.True(attempt < 5, $"dnsmasq did not start: {error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await _silentUpstream.DisposeAsync();
    }

    /// <summary>Whether it answers the known name; a reply with an error code ends the wait, as waiting longer would not change it.</summary>
    private async Task<bool> AnswersAsync()
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        int? code = null;
        return await Poll.HoldsAsync(
            async () =>
            {
                await client.SendAsync(DnsWire.Query(KnownName), Endpoint);
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    code = DnsWire.ResponseCode((await client.ReceiveAsync(wait.Token)).Buffer);
                    return code == 0;
                }
                catch (OperationCanceledException)
                {
                    return false; // not listening yet: ask again
                }
                catch (SocketException)
                {
                    return false; // port unreachable: not bound yet
                }
            },
            TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(50),
            () => _process.HasExited ? "it exited" : code is not null ? $"it answered with code {code}" : null);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
