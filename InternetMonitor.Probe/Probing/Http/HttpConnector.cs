using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>
/// Opens the connection one probe is timed on: the name lookup, the TCP handshake and the TLS handshake, each its
/// own phase of the clock, before the HTTP handler sees anything, so that the handler's set-up is in no phase and TLS
/// can offer h2. The three run one after the other with blocking calls on a <see cref="TimedThread"/>, which wakes when
/// the answer, the SYN-ACK or the server's flight arrives, as curl's poll loop does.
/// </summary>
public static class HttpConnector
{
    /// <summary>Opens the connection on a <see cref="TimedThread"/>, which starts the clock.</summary>
    public static Task<HttpConnection> OpenAsync(HttpTarget target, X509Certificate2Collection? authorities, PhaseClock clock, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(clock);
        return TimedThread.RunAsync(
            "http-connect",
            () =>
            {
                clock.Start();
                return Open(target, authorities, clock, token);
            },
            connection => connection.Stream.Dispose(),
            token);
    }

    private static HttpConnection Open(HttpTarget target, X509Certificate2Collection? authorities, PhaseClock clock, CancellationToken token)
    {
        var host = target.Uri.IdnHost;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : System.Net.Dns.GetHostAddresses(host);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        token.ThrowIfCancellationRequested();
        clock.Enter(HttpPhase.Connect);
#pragma warning disable CA2000 // Each stream owns the one below it; on failure the outermost is disposed below, on success the handler owns it.
        var socket = Connect(addresses, target.Uri.Port, token);
        Stream? stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var version = HttpConnection.Http11;
            if (target.Uri.Scheme == Uri.UriSchemeHttps)
            {
                clock.Enter(HttpPhase.Tls);
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                using (token.Register(socket.Dispose)) // unblocks the handshake's reads on a timeout
                {
                    tls.AuthenticateAsClient(TlsOptions(target, host, authorities));
                }

                token.ThrowIfCancellationRequested();
                version = tls.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2 ? HttpConnection.Http2 : HttpConnection.Http11;
            }

            clock.Enter(HttpPhase.Processing);
            var connection = new HttpConnection(new StampedStream(stream, version == HttpConnection.Http2), version);
#pragma warning restore CA2000
            stream = null;
            return connection;
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <summary>Tries each address in turn, as the resolver returned them; the last failure is the one reported.</summary>
    private static Socket Connect(IPAddress[] addresses, int port, CancellationToken token)
    {
        for (var i = 0; ; i++)
        {
            var socket = new Socket(addresses[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                Connect(socket, new IPEndPoint(addresses[i], port), token);
                return socket;
            }
            catch (SocketException) when (i < addresses.Length - 1 && !token.IsCancellationRequested)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// A blocking connect: the thread sleeps in connect(2) until the handshake completes. A timeout disposes the
    /// socket, which ends the call at once (checked: a SYN dropped on purpose, the call back 7 ms after the dispose).
    /// </summary>
    private static void Connect(Socket socket, IPEndPoint endpoint, CancellationToken token)
    {
        using (token.Register(socket.Dispose))
        {
            socket.Connect(endpoint);
        }

        token.ThrowIfCancellationRequested();
    }

    private static SslClientAuthenticationOptions TlsOptions(HttpTarget target, string host, X509Certificate2Collection? authorities)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host.Trim('[', ']'),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],

            // No CRL or OCSP fetch to another host inside the timed handshake.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
#pragma warning disable CA5359 // Only where the user asked for it (AllowInvalidCertificate: a self-signed router page).
            RemoteCertificateValidationCallback = target.AllowInvalidCertificate ? static (_, _, _, _) => true : null,
#pragma warning restore CA5359
        };
        if (authorities is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(authorities);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }
}
