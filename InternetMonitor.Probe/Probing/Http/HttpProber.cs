using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>
/// GETs one URL on a fresh connection and times each phase. The connection is opened and timed first
/// (<see cref="HttpConnector"/>: lookup, TCP, TLS with h2 offered); the handler is then given that stream through its
/// connect callback and speaks HTTP/1.1 or HTTP/2 on it as TLS negotiated. Everything the measurement does not
/// include (the handler, the client, the request, the trusted authorities) is made before the clock starts; the
/// processing phase runs from the request's first byte written to the response's first byte read, and the transfer
/// phase to the read that brought the body's last bytes (<see cref="StampedStream"/>), so that neither holds the
/// handler's own set-up or its parsing. Nothing is retried, redirects are not followed, and no client from IHttpClientFactory is used: its
/// resilience handlers would retry and wrap the very thing being measured. docs/benchmarks.md compares each phase
/// with curl's.
/// </summary>
public sealed class HttpProber(IOptions<HttpProbeOptions> options, TimeProvider timeProvider) : IProber<HttpTarget, HttpResult>
{
    private readonly HttpProbeOptions _options = options.Value;

    public async Task<HttpResult> ProbeAsync(HttpTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var timestamp = timeProvider.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        if (!TryLoadAuthorities(target, out var authorities, out var unreadable))
        {
            return new HttpResult(target, timestamp, new Dictionary<HttpPhase, TimeSpan>(), TimeSpan.Zero, null, 0, HttpFailureReason.Tls, HttpPhase.Tls, unreadable);
        }

        HttpConnection? connection = null;
        using var handler = Handler(() => connection?.Stream ?? throw new InvalidOperationException("the connection is opened before the request is sent"));
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = Request(target);
        int? status = null;
        long bytes = 0;
        var clock = new PhaseClock();
        try
        {
            connection = await HttpConnector.OpenAsync(target, authorities, clock, timeout.Token).ConfigureAwait(false);
            await using (connection.Stream.ConfigureAwait(false))
            {
                if (connection.IsHttp2)
                {
                    request.Version = HttpVersion.Version20;
                    request.Headers.ConnectionClose = null;
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                var stream = connection.Stream;
                clock.BeganAt(stream.Requested ?? 0);
                clock.Enter(HttpPhase.Transfer, stream.Started ?? Stopwatch.GetTimestamp());
                bytes = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
                clock.Finish(stream.LastRead ?? Stopwatch.GetTimestamp());
            }

            return target.IsExpected(status.Value)
                ? Result(HttpPhase.Transfer, null, null)
                : Result(HttpPhase.Transfer, HttpFailureReason.Status, $"status {status} is not an expected one");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Result(clock.Current, HttpFailureReason.Timeout,
                $"no completion within {_options.Timeout.TotalSeconds:0.###} s (stopped in the {clock.Current.ToString().ToLowerInvariant()} phase)");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or SocketException or AuthenticationException
                                          && !cancellationToken.IsCancellationRequested)
        {
            return Result(clock.Current, Classify(exception, clock.Current), ExceptionChain.Describe(exception));
        }
        finally
        {
            HttpAuthorities.Release(authorities);
        }

        HttpResult Result(HttpPhase phase, string? reason, string? detail)
        {
            // Only finished phases have a duration: the one a failure interrupted does not.
            var phases = reason is null || reason == HttpFailureReason.Status
                ? clock.Durations
                : clock.Durations.Where(pair => pair.Key < phase).ToDictionary();
            var version = status is null ? null : connection?.Version;
            return new HttpResult(target, timestamp, phases, clock.Total, status, bytes, reason, reason is null ? null : phase, detail, version);
        }
    }

    private static SocketsHttpHandler Handler(Func<Stream> connection) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = 1,
        ConnectCallback = (_, _) => ValueTask.FromResult(connection()),
    };

    private HttpRequestMessage Request(HttpTarget target)
    {
        // The handler is given the http:// form (so that it adds no TLS of its own: the stream it gets is already
        // encrypted for https, and HTTP/2 on it is then spoken with prior knowledge) with the real port; the Host
        // header (:authority in HTTP/2) keeps the original authority.
        var plain = new UriBuilder(target.Uri) { Scheme = Uri.UriSchemeHttp, Port = target.Uri.Port }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, plain)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = target.Uri.IsDefaultPort ? target.Uri.IdnHost : $"{target.Uri.IdnHost}:{target.Uri.Port}";
        request.Headers.ConnectionClose = true;
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        return request;
    }

    /// <summary>The authorities of <see cref="HttpTarget.CaFile"/>, read before the clock starts; a file gone since the start is a TLS failure.</summary>
    private static bool TryLoadAuthorities(HttpTarget target, out X509Certificate2Collection? authorities, out string? error)
    {
        authorities = null;
        error = null;
        if (target.CaFile is not { } file)
        {
            return true;
        }

        try
        {
            authorities = HttpAuthorities.Load(file);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or InvalidDataException)
        {
            error = exception.Message;
            return false;
        }
    }

    private async Task<long> ReadBodyAsync(HttpResponseMessage response, CancellationToken token)
    {
        var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            while (total < _options.MaxBodyBytes)
            {
                var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, _options.MaxBodyBytes - total)), token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
    }

    private static string Classify(Exception exception, HttpPhase phase)
    {
        var socketError = ExceptionChain.Find<SocketException>(exception)?.SocketErrorCode;
        return (phase, socketError) switch
        {
            (HttpPhase.Dns, _) => HttpFailureReason.Dns,
            (_, SocketError.ConnectionRefused) => HttpFailureReason.ConnectRefused,
            (_, SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown) => HttpFailureReason.Unreachable,
            (_, SocketError.TimedOut) => HttpFailureReason.Timeout,
            (HttpPhase.Tls, _) => HttpFailureReason.Tls,
            (_, SocketError.ConnectionReset or SocketError.ConnectionAborted) => HttpFailureReason.Reset,
            _ when ExceptionChain.Find<HttpRequestException>(exception)?.HttpRequestError == HttpRequestError.InvalidResponse => HttpFailureReason.InvalidResponse,
            (HttpPhase.Transfer, _) when ExceptionChain.Find<HttpIOException>(exception)?.HttpRequestError
                is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => HttpFailureReason.Body,
            (HttpPhase.Processing, _) when ExceptionChain.Find<HttpRequestException>(exception)?.HttpRequestError == HttpRequestError.ResponseEnded => HttpFailureReason.Reset,
            _ => HttpFailureReason.Error,
        };
    }
}
