using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>Stopwatch timestamps of a transfer's timed window and the bytes moved inside it.</summary>
public readonly record struct TimedTransfer(long Start, long End, long Bytes);

/// <summary>
/// Moves and times the bytes of single requests to one server and turns every network fault into a
/// <see cref="SpeedTestFault"/> with its reason. Transfers share a pool of HTTP/1.1 connections (one per parallel
/// stream, kept alive between rounds); round trips have a connection of their own, so that under load they queue
/// in the line, not behind a transfer on the same connection. No client from IHttpClientFactory: its retries
/// would hide exactly the faults a speed test must report.
/// </summary>
public sealed class TransferClient : IDisposable
{
    private const int BufferSize = 256 * 1024;

    private readonly ISpeedTestServer _server;
    private readonly TimeSpan _stallTimeout;
    private readonly HttpClient _transfers;
    private readonly HttpClient _roundTrips;
    private readonly System.Collections.Concurrent.ConcurrentQueue<ResponseFramingWatch> _connections = new();

    public TransferClient(ISpeedTestServer server, TimeSpan stallTimeout)
    {
        _server = server;
        _stallTimeout = stallTimeout;
#pragma warning disable CA2000 // Each client owns its handler and disposes it.
        var transfers = Handler(SpeedTestOptionsValidator.StreamLimit * 2, stallTimeout);
        transfers.PlaintextStreamFilter = (context, _) =>
        {
            var watch = new ResponseFramingWatch(context.PlaintextStream);
            _connections.Enqueue(watch);
            return ValueTask.FromResult<Stream>(watch);
        };
        _transfers = new HttpClient(transfers, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _roundTrips = new HttpClient(Handler(1, stallTimeout), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
    }

    public void Dispose()
    {
        _transfers.Dispose();
        _roundTrips.Dispose();
    }

    /// <summary>Throws when a server sent bytes beyond a response's announced length on any transfer connection so far.</summary>
    public void EnsureFramed()
    {
        var overrun = _connections.Sum(connection => connection.Overrun);
        if (overrun > 0)
        {
            throw new SpeedTestFault(SpeedTestFailureReason.LongBody,
                string.Create(CultureInfo.InvariantCulture, $"the server sent {overrun} bytes beyond the Content-Length it announced"));
        }
    }

    /// <summary>Downloads <paramref name="bytes"/> bytes, timed from the end of the first read to the end of the last.</summary>
    public async Task<TimedTransfer> DownloadAsync(long bytes, Action<int> moved, CancellationToken cancellationToken)
    {
        using var watch = new StallWatch(_stallTimeout, cancellationToken);
        var inBody = false;
        try
        {
            using var request = _server.DownloadRequest(bytes);
            using var response = await _transfers.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watch.Token).ConfigureAwait(false);
            watch.Progress();
            EnsureSuccess(response, "download", bytes);
            var expected = _server.Expect(bytes, response.Content.Headers.ContentLength);
            inBody = true;
            var body = await response.Content.ReadAsStreamAsync(watch.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                return await ReadAsync(body, expected, watch, moved).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (Fault(exception, watch, inBody, "download", cancellationToken) is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>Uploads <paramref name="bytes"/> bytes, timed from the first byte written to the server's answer.</summary>
    public async Task<TimedTransfer> UploadAsync(long bytes, Action<int> moved, CancellationToken cancellationToken)
    {
        using var watch = new StallWatch(_stallTimeout, cancellationToken);
        using var content = new UploadContent(bytes, count =>
        {
            watch.Progress();
            moved(count);
        });
        try
        {
            using var request = _server.UploadRequest(content);
            using var response = await _transfers.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watch.Token).ConfigureAwait(false);
            var end = Stopwatch.GetTimestamp();
            EnsureSuccess(response, "upload", bytes);
            if (content.Written < bytes)
            {
                throw new SpeedTestFault(SpeedTestFailureReason.ShortBody, $"the server answered the upload after {content.Written} of {bytes} bytes");
            }

            // The probe's own server says how many bytes it took: a count that disagrees is a broken transfer.
            var answer = await ReadTextAsync(response, watch.Token).ConfigureAwait(false);
            if (long.TryParse(answer.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var received) && received != bytes)
            {
                throw new SpeedTestFault(received < bytes ? SpeedTestFailureReason.ShortBody : SpeedTestFailureReason.LongBody, $"the server says it received {received} of {bytes} bytes");
            }

            return new TimedTransfer(content.FirstByteAt, end, bytes);
        }
        catch (Exception exception) when (Fault(exception, watch, inBody: true, "upload", cancellationToken) is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>One round trip: the time from sending a request with no body to the response's headers.</summary>
    public async Task<TimeSpan> RoundTripAsync(CancellationToken cancellationToken)
    {
        using var watch = new StallWatch(_stallTimeout, cancellationToken);
        try
        {
            using var request = _server.LatencyRequest();
            var start = Stopwatch.GetTimestamp();
            using var response = await _roundTrips.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watch.Token).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start);
            await ReadTextAsync(response, watch.Token).ConfigureAwait(false);
            return elapsed;
        }
        catch (Exception exception) when (Fault(exception, watch, inBody: false, "round trip", cancellationToken) is { } fault)
        {
            throw fault;
        }
    }

    private static async Task<TimedTransfer> ReadAsync(Stream body, DownloadExpectation expected, StallWatch watch, Action<int> moved)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0, first = 0, start = 0, end = 0;
            while (true)
            {
                var want = expected.UpTo ? (int)Math.Min(BufferSize, expected.Bytes - total) : BufferSize;
                if (want == 0)
                {
                    break;
                }

                var read = await body.ReadAsync(buffer.AsMemory(0, want), watch.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var now = Stopwatch.GetTimestamp();
                watch.Progress();
                moved(read);
                if (total == 0)
                {
                    start = now;
                    first = read;
                }

                total += read;
                end = now;
                if (!expected.UpTo && total > expected.Bytes)
                {
                    throw new SpeedTestFault(SpeedTestFailureReason.LongBody, $"asked for {expected.Bytes} bytes, the server sent more");
                }
            }

            if (!expected.UpTo && total < expected.Bytes)
            {
                throw new SpeedTestFault(SpeedTestFailureReason.ShortBody, $"the body ended after {total} of {expected.Bytes} bytes");
            }

            return new TimedTransfer(start, end, total - first);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int Limit = 64 * 1024;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            // Every round trip passes here: a pooled buffer, not 64 KiB of garbage each time.
            var buffer = ArrayPool<byte>.Shared.Rent(Limit);
            try
            {
                var total = 0;
                int read;
                while (total < Limit && (read = await body.ReadAsync(buffer.AsMemory(total, Limit - total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, string what, long bytes)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new SpeedTestFault(SpeedTestFailureReason.Status,
                string.Create(CultureInfo.InvariantCulture, $"status {(int)response.StatusCode} for {(what == "upload" ? "an" : "a")} {what} of {bytes} bytes"));
        }
    }

    /// <summary>The fault to report for <paramref name="exception"/>; null lets it through (a fault already, or the caller cancelled).</summary>
    private SpeedTestFault? Fault(Exception exception, StallWatch watch, bool inBody, string what, CancellationToken cancellationToken)
    {
        if (exception is SpeedTestFault || cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (watch.Stalled)
        {
            return new SpeedTestFault(SpeedTestFailureReason.Stall,
                string.Create(CultureInfo.InvariantCulture, $"no byte moved for {_stallTimeout.TotalSeconds:0.###} s during the {what}"), exception);
        }

        var detail = $"{what}: {ExceptionChain.Describe(exception)}";
        var socketError = ExceptionChain.Find<SocketException>(exception)?.SocketErrorCode;
        var httpError = ExceptionChain.Find<HttpRequestException>(exception)?.HttpRequestError ?? ExceptionChain.Find<HttpIOException>(exception)?.HttpRequestError;
        var reason = (socketError, httpError) switch
        {
            (_, HttpRequestError.NameResolutionError) => SpeedTestFailureReason.Dns,
            (SocketError.ConnectionRefused or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown or SocketError.TimedOut, _)
                => SpeedTestFailureReason.Connect,
            (SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown, _) => SpeedTestFailureReason.Reset,
            (_, HttpRequestError.SecureConnectionError) => SpeedTestFailureReason.Tls,
            _ when ExceptionChain.Find<AuthenticationException>(exception) is not null => SpeedTestFailureReason.Tls,
            (_, HttpRequestError.InvalidResponse) => SpeedTestFailureReason.InvalidResponse,
            (_, HttpRequestError.ResponseEnded) => inBody ? SpeedTestFailureReason.ShortBody : SpeedTestFailureReason.Reset,
            (_, HttpRequestError.ConnectionError) => SpeedTestFailureReason.Connect,
            _ => SpeedTestFailureReason.Error,
        };
        return new SpeedTestFault(reason, detail, exception);
    }

    private static SocketsHttpHandler Handler(int connections, TimeSpan stallTimeout) => new()
    {
        // A server that does not answer the handshake is a connect failure, not a stall: it gives up first.
        ConnectTimeout = stallTimeout / 2,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        MaxConnectionsPerServer = connections,

        // A download cut short on purpose (a plain file longer than asked) closes its connection instead of
        // draining the rest, which would spend the user's data.
        MaxResponseDrainSize = 0,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    };
}
