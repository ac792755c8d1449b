using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InternetMonitor.Lab;

public enum SpeedTestServerFault
{
    None,

    /// <summary>404 for every transfer.</summary>
    NotFound,

    /// <summary>500 for every transfer.</summary>
    ServerError,

    /// <summary>Download: half the announced Content-Length, then a clean close. Upload: answers that it got half.</summary>
    ShortBody,

    /// <summary>Download: the announced Content-Length, then 1000 bytes more on the same connection.</summary>
    LongBody,

    /// <summary>Download: chunked, 1000 bytes more than asked for.</summary>
    LongChunkedBody,

    /// <summary>Not an HTTP response at all.</summary>
    Garbage,

    /// <summary>Half the body (download) or half read (upload), then a TCP reset.</summary>
    Reset,

    /// <summary>Half the body (download) or half read (upload), then nothing, with the connection open.</summary>
    Stall,

    /// <summary>Download bodies trickle at <see cref="FaultySpeedTestServer.SlowBytesPerSecond"/>.</summary>
    Slow,
}

/// <summary>
/// A Cloudflare-compatible speed-test server (<c>GET /__down?bytes=N</c>, <c>POST /__up</c>, keep-alive) on a raw
/// socket, that breaks transfers on purpose: one <see cref="SpeedTestServerFault"/> for the direction it is told.
/// Round trips (<c>bytes=0</c>) are always answered well, so a fault lands in the transfer it is meant for.
/// </summary>
public sealed class FaultySpeedTestServer : TcpServer
{
    public const int SlowBytesPerSecond = 20_000;

    private readonly SpeedTestServerFault _fault;
    private readonly bool _faultUploads;
    private readonly int _pace;

    /// <param name="fault">What goes wrong.</param>
    /// <param name="uploads">Break uploads (downloads are served well); otherwise break downloads.</param>
    /// <param name="bytesPerSecondPerConnection">Pace every download body to this rate on each connection (0: as fast as
    /// it goes), as a server or path that caps each TCP stream does: only parallel streams fill more.</param>
    public FaultySpeedTestServer(SpeedTestServerFault fault, bool uploads = false, int bytesPerSecondPerConnection = 0)
        : base(IPAddress.Loopback, 0)
    {
        _fault = fault;
        _faultUploads = uploads;
        _pace = bytesPerSecondPerConnection;
        Start();
    }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    protected override async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            // As web servers do: a response's last small segment goes out at once, not after the client's delayed ACK.
            client.NoDelay = true;
            try
            {
                var stream = client.GetStream();
                var reader = new RequestReader(stream, Stopping);
                while (await reader.NextAsync() is { } request)
                {
                    var keepOpen = request.Method == "POST"
                        ? await UploadAsync(client, stream, reader, request)
                        : await DownloadAsync(client, stream, request);
                    if (!keepOpen)
                    {
                        return;
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server stopped.
            }
        }
    }

    private async Task<bool> DownloadAsync(TcpClient client, NetworkStream stream, Request request)
    {
        var bytes = long.Parse(request.Query("bytes") ?? "0", CultureInfo.InvariantCulture);
        var fault = bytes == 0 || _faultUploads ? SpeedTestServerFault.None : _fault;
        switch (fault)
        {
            case SpeedTestServerFault.NotFound or SpeedTestServerFault.ServerError:
                await WriteAsync(stream, $"HTTP/1.1 {(fault == SpeedTestServerFault.NotFound ? "404 Not Found" : "500 Internal Server Error")}\r\nContent-Length: 4\r\n\r\nnope");
                return true;
            case SpeedTestServerFault.Garbage:
                await WriteAsync(stream, "SSH-2.0-OpenSSH_9.2 this is not HTTP\r\n\r\n");
                return false;
            case SpeedTestServerFault.LongChunkedBody:
                await WriteAsync(stream, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                var chunk = bytes + 1000;
                await WriteAsync(stream, $"{chunk:x}\r\n");
                await WriteZerosAsync(stream, chunk);
                await WriteAsync(stream, "\r\n0\r\n\r\n");
                return true;
        }

        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {bytes}\r\n\r\n");
        switch (fault)
        {
            case SpeedTestServerFault.ShortBody:
                await WriteZerosAsync(stream, bytes / 2);
                return false;
            case SpeedTestServerFault.LongBody:
                await WriteZerosAsync(stream, bytes + 1000);
                return true;
            case SpeedTestServerFault.Reset:
                await WriteZerosAsync(stream, bytes / 2);
                client.Client.Close(0); // RST at once
                return false;
            case SpeedTestServerFault.Stall:
                await WriteZerosAsync(stream, bytes / 2);
                await Task.Delay(Timeout.Infinite, Stopping);
                return false;
            case SpeedTestServerFault.Slow:
                await WritePacedAsync(stream, bytes, SlowBytesPerSecond);
                return true;
            default:
                await (_pace > 0 ? WritePacedAsync(stream, bytes, _pace) : WriteZerosAsync(stream, bytes));
                return true;
        }
    }

    private async Task<bool> UploadAsync(TcpClient client, NetworkStream stream, RequestReader reader, Request request)
    {
        var fault = _faultUploads ? _fault : SpeedTestServerFault.None;
        var length = request.ContentLength;
        switch (fault)
        {
            case SpeedTestServerFault.Reset:
                await reader.SkipAsync(length / 2);
                client.Client.Close(0);
                return false;
            case SpeedTestServerFault.Stall:
                await reader.SkipAsync(length / 2);
                await Task.Delay(Timeout.Infinite, Stopping);
                return false;
            case SpeedTestServerFault.Garbage:
                await reader.SkipAsync(length);
                await WriteAsync(stream, "SSH-2.0-OpenSSH_9.2 this is not HTTP\r\n\r\n");
                return false;
        }

        await reader.SkipAsync(length);
        var (status, body) = fault switch
        {
            SpeedTestServerFault.NotFound => ("404 Not Found", "nope"),
            SpeedTestServerFault.ServerError => ("500 Internal Server Error", "nope"),
            SpeedTestServerFault.ShortBody => ("200 OK", (length / 2).ToString(CultureInfo.InvariantCulture)),
            _ => ("200 OK", length.ToString(CultureInfo.InvariantCulture)),
        };
        await WriteAsync(stream, $"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        return true;
    }

    private async Task WriteAsync(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text), Stopping);

    private async Task WriteZerosAsync(NetworkStream stream, long count)
    {
        var zeros = new byte[64 * 1024];
        for (var left = count; left > 0; left -= zeros.Length)
        {
            await stream.WriteAsync(zeros.AsMemory(0, (int)Math.Min(left, zeros.Length)), Stopping);
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> bytes no faster than <paramref name="rate"/>: each hundredth of a second's share
    /// waits for its time (late pieces catch up, so the last byte is never early and the burst is one piece).
    /// </summary>
    private async Task WritePacedAsync(NetworkStream stream, long count, int rate)
    {
        var piece = Math.Max(rate / 100, 1);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var sent = 0L; sent < count; sent += piece)
        {
            var due = TimeSpan.FromSeconds(sent / (double)rate) - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, Stopping);
            }

            await WriteZerosAsync(stream, Math.Min(piece, count - sent));
        }
    }

    private sealed record Request(string Method, string Target, long ContentLength)
    {
        public string? Query(string name) => Target.Split('?', 2) is [_, var query]
            ? query.Split('&').Select(pair => pair.Split('=', 2)).Where(pair => pair[0] == name).Select(pair => pair.Length > 1 ? pair[1] : string.Empty).FirstOrDefault()
            : null;
    }

    /// <summary>Reads requests off a keep-alive connection: the head up to the blank line, then bodies by length.</summary>
    private sealed class RequestReader(NetworkStream stream, CancellationToken cancellationToken)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<Request?> NextAsync()
        {
            var head = new StringBuilder();
            while (true)
            {
                while (_start < _end)
                {
                    head.Append((char)_buffer[_start++]);
                    if (head.Length >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
                    {
                        return Parse(head.ToString());
                    }
                }

                if (!await FillAsync())
                {
                    return null;
                }
            }
        }

        public async Task SkipAsync(long count)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync())
                {
                    throw new IOException("the client closed during its body");
                }

                var take = (int)Math.Min(count, _end - _start);
                _start += take;
                count -= take;
            }
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }

        private static Request Parse(string head)
        {
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var length = lines.Skip(1)
                .Select(line => line.Split(':', 2))
                .Where(pair => pair.Length == 2 && pair[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(pair => long.Parse(pair[1].Trim(), CultureInfo.InvariantCulture))
                .FirstOrDefault();
            return new Request(parts[0], parts[1], length);
        }
    }
}
