namespace InternetMonitor.Probe.Probing.Dns;

/// <summary>The <c>reason</c> label values of a failed query.</summary>
public static class DnsFailureReason
{
    public const string Timeout = "timeout";
    public const string ServerFailure = "servfail";
    public const string Refused = "refused";
    public const string NonExistentDomain = "nxdomain";
    public const string NoData = "nodata";
    public const string NetworkError = "network_error";

    /// <summary>The system resolver's EAI_AGAIN: no usable answer for now (a server failure, or no server reachable).</summary>
    public const string TemporaryFailure = "temporary_failure";
    public const string Error = "error";
}
