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
    public const string Error = "error";
}
