namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>Why a speed-test run ended without a figure: the <c>reason</c> label, the log line's and the JSON's field.</summary>
public static class SpeedTestFailureReason
{
    /// <summary>The server answered with a status that is not 2xx (404, 500, ...).</summary>
    public const string Status = "status";

    /// <summary>The body ended before the size announced or asked for.</summary>
    public const string ShortBody = "short_body";

    /// <summary>The body (or its announced length) was longer than the size asked for.</summary>
    public const string LongBody = "long_body";

    /// <summary>What came back was not HTTP.</summary>
    public const string InvalidResponse = "invalid_response";

    /// <summary>The connection was reset during a transfer.</summary>
    public const string Reset = "reset";

    /// <summary>No byte moved for <c>StallTimeout</c>.</summary>
    public const string Stall = "stall";

    /// <summary>No request of a direction completed within <c>DirectionTimeout</c>: the server is slower than the budget.</summary>
    public const string Timeout = "timeout";

    public const string Dns = "dns";

    public const string Connect = "connect";

    public const string Tls = "tls";

    /// <summary>The byte cap of a run is smaller than the first request.</summary>
    public const string Budget = "budget";

    public const string Error = "error";
}
