using System.Diagnostics;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Dns;

/// <summary>
/// Resolves one name through one server: a named server with DnsClient (no cache, no retry, one UDP query
/// whose round trip is the duration, timed on a <see cref="TimedThread"/>), or the system resolver through
/// getaddrinfo. Every fault is a result.
/// </summary>
public sealed class DnsProber(IOptions<DnsOptions> options, TimeProvider timeProvider) : IProber<DnsQuery, DnsResult>
{
    public Task<DnsResult> ProbeAsync(DnsQuery target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Endpoint is null ? ResolveWithSystemAsync(target, cancellationToken) : QueryServerAsync(target, cancellationToken);
    }

    private Task<DnsResult> QueryServerAsync(DnsQuery query, CancellationToken cancellationToken)
    {
        var timeout = options.Value.Timeout;
        var client = new LookupClient(new LookupClientOptions(query.Endpoint!)
        {
            UseCache = false,
            Retries = 0,
            Timeout = timeout,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            // One UDP exchange is the measurement: a silent retry over TCP would time something else.
            UseTcpFallback = false,
            UseRandomNameServer = false,
        });
        var timestamp = timeProvider.GetUtcNow();
        return TimedThread.RunAsync("dns-query", () => QueryServer(client, query, timestamp), null, cancellationToken);
    }

    /// <summary>
    /// The query with DnsClient's blocking call, on the <see cref="TimedThread"/> that times it: the thread sleeps in
    /// recvfrom(2) until the answer (or DnsClient's own timeout) comes.
    /// </summary>
    private static DnsResult QueryServer(LookupClient client, DnsQuery query, DateTimeOffset timestamp)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var type = query.Type == DnsRecordType.AAAA ? QueryType.AAAA : QueryType.A;
            var response = client.Query(query.Name, type, QueryClass.IN);
            var duration = Stopwatch.GetElapsedTime(started);
            var code = response.Header.ResponseCode;
            var answers = response.Answers.Count(record => record.RecordType == (type == QueryType.A ? ResourceRecordType.A : ResourceRecordType.AAAA));
            var reason = code switch
            {
                DnsHeaderResponseCode.NoError when answers == 0 => DnsFailureReason.NoData,
                DnsHeaderResponseCode.NoError => null,
                DnsHeaderResponseCode.ServerFailure => DnsFailureReason.ServerFailure,
                DnsHeaderResponseCode.Refused => DnsFailureReason.Refused,
                DnsHeaderResponseCode.NotExistentDomain => DnsFailureReason.NonExistentDomain,
                _ => DnsFailureReason.Error,
            };
            return new DnsResult(query, timestamp, duration, RcodeName(code), answers, reason, reason is null ? null : response.ErrorMessage);
        }
        catch (DnsResponseException exception)
        {
            var reason = exception.Code == DnsResponseCode.ConnectionTimeout || exception.InnerException is TimeoutException or OperationCanceledException
                ? DnsFailureReason.Timeout
                : exception.InnerException is SocketException ? DnsFailureReason.NetworkError : DnsFailureReason.Error;
            return new DnsResult(query, timestamp, Stopwatch.GetElapsedTime(started), null, 0, reason, exception.InnerException?.Message ?? exception.Message);
        }
#pragma warning disable CA1031 // Whatever the library makes of a bad reply (a parse error, a mismatched id, ...) is a failed query, never a crash.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var reason = exception is SocketException ? DnsFailureReason.NetworkError : DnsFailureReason.Error;
            return new DnsResult(query, timestamp, Stopwatch.GetElapsedTime(started), null, 0, reason, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private async Task<DnsResult> ResolveWithSystemAsync(DnsQuery query, CancellationToken cancellationToken)
    {
        var timestamp = timeProvider.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            var family = query.Type == DnsRecordType.AAAA ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            var addresses = await System.Net.Dns.GetHostAddressesAsync(query.Name, family, timeout.Token).ConfigureAwait(false);
            var duration = Stopwatch.GetElapsedTime(started);
            return addresses.Length == 0
                ? new DnsResult(query, timestamp, duration, "NOERROR", 0, DnsFailureReason.NoData, "no address of that family")
                : new DnsResult(query, timestamp, duration, "NOERROR", addresses.Length, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DnsResult(query, timestamp, Stopwatch.GetElapsedTime(started), null, 0, DnsFailureReason.Timeout, $"no answer within {options.Value.Timeout.TotalMilliseconds:0} ms");
        }
        catch (SocketException exception)
        {
            // getaddrinfo reports what the resolver said only coarsely: no such host, no data, or "try again",
            // which covers a SERVFAIL and an unreachable server alike.
            var (code, reason) = exception.SocketErrorCode switch
            {
                SocketError.HostNotFound => ("NXDOMAIN", DnsFailureReason.NonExistentDomain),
                SocketError.NoData => ("NOERROR", DnsFailureReason.NoData),
                SocketError.TryAgain => ((string?)null, DnsFailureReason.TemporaryFailure),
                _ => (null, DnsFailureReason.Error),
            };
            return new DnsResult(query, timestamp, Stopwatch.GetElapsedTime(started), code, 0, reason, exception.Message);
        }
    }

    private static string RcodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.NoError => "NOERROR",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        DnsHeaderResponseCode.Refused => "REFUSED",
        _ => "OTHER",
    };
}
