using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>
/// GETs one URL on a fresh connection and times each phase. The name lookup, the TCP connect and the TLS
/// handshake happen in the handler's connect callback, where they can be timed one by one; the handler then
/// speaks plain HTTP/1.1 over the stream it is given (already encrypted for https). Nothing is retried,
/// redirects are not followed, and no client from IHttpClientFactory is used: its resilience handlers
/// would retry and wrap the very thing being measured.
/// </summary>
public sealed class HttpProber(IOptions<HttpProbeOptions> options, TimeProvider timeProvider) : IProber<HttpTarget, HttpResult>
{
    private readonly HttpProbeOptions _options = options.Value;

    public async Task<HttpResult> ProbeAsync(HttpTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var timestamp = timeProvider.GetUtcNow();
        var clock = new PhaseClock();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        int? status = null;
        long bytes = 0;
        try
        {
            using var handler = Handler(target, clock);
            using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
            using var request = Request(target);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            clock.Enter(HttpPhase.Transfer);
            bytes = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            clock.Finish();
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

        HttpResult Result(HttpPhase phase, string? reason, string? detail)
        {
            // Only finished phases have a duration: the one a failure interrupted does not.
            var phases = reason is null || reason == HttpFailureReason.Status
                ? clock.Durations
                : clock.Durations.Where(pair => pair.Key < phase).ToDictionary();
            return new HttpResult(target, timestamp, phases, clock.Total, status, bytes, reason, reason is null ? null : phase, detail);
        }
    }

    private SocketsHttpHandler Handler(HttpTarget target, PhaseClock clock) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = 1,
        ConnectCallback = (_, token) => ConnectAsync(target, clock, token),
    };

    private HttpRequestMessage Request(HttpTarget target)
    {
        // The handler is given the http:// form (so that it does not add TLS of its own) with the real port;
        // the Host header keeps the original authority.
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

    private static async ValueTask<Stream> ConnectAsync(HttpTarget target, PhaseClock clock, CancellationToken token)
    {
        var host = target.Uri.IdnHost;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await System.Net.Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false);
        clock.Enter(HttpPhase.Connect);

#pragma warning disable CA2000 // Disposed on failure below; on success the NetworkStream owns it, and the handler the stream.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
#pragma warning restore CA2000
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(addresses, target.Uri.Port, token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (target.Uri.Scheme == Uri.UriSchemeHttps)
        {
            clock.Enter(HttpPhase.Tls);
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],

                    // No CRL or OCSP fetch to another host inside the timed handshake.
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
#pragma warning disable CA5359 // Only where the user asked for it (AllowInvalidCertificate: a self-signed router page).
                    RemoteCertificateValidationCallback = target.AllowInvalidCertificate ? static (_, _, _, _) => true : null,
#pragma warning restore CA5359
                }, token).ConfigureAwait(false);
            }
            catch
            {
                await tls.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            stream = tls;
        }

        clock.Enter(HttpPhase.Processing);
        return stream;
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
