namespace InternetMonitor.Probe.Probing.Http;

/// <summary>The <c>reason</c> label values of a failed probe.</summary>
public static class HttpFailureReason
{
    public const string Dns = "dns";
    public const string ConnectRefused = "connect_refused";
    public const string Unreachable = "unreachable";
    public const string Timeout = "timeout";
    public const string Tls = "tls";
    public const string Reset = "reset";
    public const string Status = "status";
    public const string Body = "body";
    public const string InvalidResponse = "invalid_response";
    public const string Error = "error";
}
