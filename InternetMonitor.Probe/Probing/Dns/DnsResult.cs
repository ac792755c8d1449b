namespace InternetMonitor.Probe.Probing.Dns;

/// <summary>One query and its answer.</summary>
/// <param name="Query"></param>
/// <param name="Timestamp"></param>
/// <param name="Duration">From the query to its response, or to the failure.</param>
/// <param name="ResponseCode">NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ...; null when no response came.</param>
/// <param name="Answers"></param>
/// <param name="Reason">Null on success; else a <see cref="DnsFailureReason"/>.</param>
/// <param name="Detail"></param>
public sealed record DnsResult(
    DnsQuery Query,
    DateTimeOffset Timestamp,
    TimeSpan Duration,
    string? ResponseCode,
    int Answers,
    string? Reason,
    string? Detail = null)
{
    public bool Succeeded => Reason is null;

    /// <summary>A response arrived (whatever its code), so the duration is a real round trip.</summary>
    public bool Answered => ResponseCode is not null;
}
