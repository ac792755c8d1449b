using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// A UDP socket on loopback that answers DNS queries the way a broken server would: with a chosen response
/// code, with garbage, or not at all. Real packets on a real socket; only the server's logic is made up.
/// </summary>
public sealed class UdpDnsResponder : IAsyncDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private UdpDnsResponder(Func<byte[], byte[]?> answer)
    {
        Endpoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
        _loop = Task.Run(() => ServeAsync(answer));
    }

    public IPEndPoint Endpoint { get; }

    public int Queries { get; private set; }

    public static UdpDnsResponder WithResponseCode(int responseCode) => new(query => DnsWire.Reply(query, responseCode));

    /// <summary>The query id and a header that promises an answer record, then nothing: no parser can read it.</summary>
    public static UdpDnsResponder WithGarbage() => new(query => [.. query.Take(2), 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0]);

    public static UdpDnsResponder Silent() => new(_ => null);

    /// <summary>A well-formed NOERROR reply, but to another query: its id is not the one asked.</summary>
    public static UdpDnsResponder WithWrongId() => new(query =>
    {
        var reply = DnsWire.Reply(query, 0);
        reply[0] ^= 0xFF;
        return reply;
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(Func<byte[], byte[]?> answer)
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult query;
            try
            {
                query = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
            {
                return;
            }

            Queries++;
            if (answer(query.Buffer) is { } reply)
            {
                await _socket.SendAsync(reply, query.RemoteEndPoint, _stop.Token);
            }
        }
    }
}
