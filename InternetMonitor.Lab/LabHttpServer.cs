using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace InternetMonitor.Lab;

/// <summary>
/// An HTTP/1.1 server on a raw socket, so that each phase of a response can be delayed or broken on purpose:
/// the TLS handshake, the time to the first byte, the body's pace, a reset, a short body, garbage. On loopback
/// by default; created inside a lab namespace (<see cref="NamespaceThread"/>) it can listen on a lab address.
/// </summary>
public sealed class LabHttpServer : TcpServer
{
    private readonly HttpServerBehaviour _behaviour;

    public LabHttpServer(HttpServerBehaviour behaviour, IPAddress? address = null, int port = 0)
        : base(address ?? IPAddress.Loopback, port)
    {
        _behaviour = behaviour;
        Start();
    }

    public Uri Url => new($"{(_behaviour.Certificate is null ? "http" : "https")}://{Address}:{Port}/probe");

    /// <summary>
    /// Waits <paramref name="delay"/> from now to within microseconds: a timer for all but the last 2 ms (a timer
    /// alone fires up to a few milliseconds late), then a spin, so that the processing a client measures is known.
    /// </summary>
    private async Task HoldAsync(TimeSpan delay)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var coarse = delay - TimeSpan.FromMilliseconds(2);
        if (coarse > TimeSpan.Zero)
        {
            await Task.Delay(coarse, Stopping);
        }

        while (System.Diagnostics.Stopwatch.GetElapsedTime(start) < delay)
        {
            Stopping.ThrowIfCancellationRequested();
            Thread.SpinWait(20);
        }
    }

    private string Address => Endpoint.Address is { AddressFamily: AddressFamily.InterNetworkV6 } v6 ? $"[{v6}]" : Endpoint.Address.ToString();

    protected override async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            SslStream? tls = null;
            try
            {
                Stream stream = client.GetStream();
                if (_behaviour.Certificate is { } certificate)
                {
                    await Task.Delay(_behaviour.TlsDelay, Stopping);
                    tls = new SslStream(stream, leaveInnerStreamOpen: true);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, Stopping);
                    stream = tls;
                }

                await ReadRequestAsync(stream);
                await HoldAsync(_behaviour.ProcessingDelay);
                await RespondAsync(client, stream);
                await stream.FlushAsync(Stopping);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                                              or System.Security.Authentication.AuthenticationException)
            {
                // The client gave up (a test of timeouts or certificates): nothing to serve.
            }
            finally
            {
                if (tls is not null)
                {
                    await tls.DisposeAsync();
                }
            }
        }
    }

    private async Task ReadRequestAsync(Stream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (!Encoding.ASCII.GetString([.. received]).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, Stopping);
            if (read == 0)
            {
                throw new IOException("the client closed before its request ended");
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private async Task RespondAsync(TcpClient client, Stream stream)
    {
        var behaviour = _behaviour;
        if (behaviour.Fault == HttpFault.Garbage)
        {
            await stream.WriteAsync("SSH-2.0-OpenSSH_9.2 this is not HTTP\r\n\r\n"u8.ToArray(), Stopping);
            return;
        }

        var framing = behaviour.Chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {behaviour.BodyBytes}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {behaviour.Status} Test\r\n{framing}\r\nConnection: close\r\n\r\n"), Stopping);
        await stream.FlushAsync(Stopping);

        var body = new byte[behaviour.BodyBytes];
        var half = behaviour.BodyBytes / 2;
        if (behaviour.Fault is HttpFault.ResetMidBody or HttpFault.ShortBody)
        {
            await stream.WriteAsync(body.AsMemory(0, half), Stopping);
            await stream.FlushAsync(Stopping);
            if (behaviour.Fault == HttpFault.ResetMidBody)
            {
                // Close(0) is an abortive close: RST at once. Disposing the stream would send FIN first.
                client.Client.Close(0);
            }

            return;
        }

        var piece = (int)Math.Ceiling(behaviour.BodyBytes / (double)behaviour.Pieces);
        for (var offset = 0; offset < body.Length; offset += piece)
        {
            if (offset > 0)
            {
                await Task.Delay(behaviour.ChunkDelay, Stopping);
            }

            var length = Math.Min(piece, body.Length - offset);
            if (behaviour.Chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:x}\r\n"), Stopping);
                await stream.WriteAsync(body.AsMemory(offset, length), Stopping);
                await stream.WriteAsync("\r\n"u8.ToArray(), Stopping);
            }
            else
            {
                await stream.WriteAsync(body.AsMemory(offset, length), Stopping);
            }

            await stream.FlushAsync(Stopping);
        }

        if (behaviour.Chunked)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), Stopping);
        }
    }
}
