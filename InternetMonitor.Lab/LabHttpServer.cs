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
public sealed class LabHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly HttpServerBehaviour _behaviour;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    public LabHttpServer(HttpServerBehaviour behaviour, IPAddress? address = null, int port = 0)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        _behaviour = behaviour;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url => new($"{(_behaviour.Certificate is null ? "http" : "https")}://{Address}:{Port}/probe");

    private string Address => ((IPEndPoint)_listener.LocalEndpoint).Address is { AddressFamily: AddressFamily.InterNetworkV6 } v6 ? $"[{v6}]" : ((IPEndPoint)_listener.LocalEndpoint).Address.ToString();

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            SslStream? tls = null;
            try
            {
                Stream stream = client.GetStream();
                if (_behaviour.Certificate is { } certificate)
                {
                    await Task.Delay(_behaviour.TlsDelay, _stop.Token);
                    tls = new SslStream(stream, leaveInnerStreamOpen: true);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, _stop.Token);
                    stream = tls;
                }

                await ReadRequestAsync(stream);
                await Task.Delay(_behaviour.ProcessingDelay, _stop.Token);
                await RespondAsync(client, stream);
                await stream.FlushAsync(_stop.Token);
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
            var read = await stream.ReadAsync(buffer, _stop.Token);
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
            await stream.WriteAsync("SSH-2.0-OpenSSH_9.2 this is not HTTP\r\n\r\n"u8.ToArray(), _stop.Token);
            return;
        }

        var framing = behaviour.Chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {behaviour.BodyBytes}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {behaviour.Status} Test\r\n{framing}\r\nConnection: close\r\n\r\n"), _stop.Token);
        await stream.FlushAsync(_stop.Token);

        var body = new byte[behaviour.BodyBytes];
        var half = behaviour.BodyBytes / 2;
        if (behaviour.Fault is HttpFault.ResetMidBody or HttpFault.ShortBody)
        {
            await stream.WriteAsync(body.AsMemory(0, half), _stop.Token);
            await stream.FlushAsync(_stop.Token);
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
                await Task.Delay(behaviour.ChunkDelay, _stop.Token);
            }

            var length = Math.Min(piece, body.Length - offset);
            if (behaviour.Chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:x}\r\n"), _stop.Token);
                await stream.WriteAsync(body.AsMemory(offset, length), _stop.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
            }
            else
            {
                await stream.WriteAsync(body.AsMemory(offset, length), _stop.Token);
            }

            await stream.FlushAsync(_stop.Token);
        }

        if (behaviour.Chunked)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
        }
    }
}
