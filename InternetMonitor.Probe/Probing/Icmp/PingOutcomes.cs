namespace InternetMonitor.Probe.Probing.Icmp;

public static class PingOutcomes
{
    /// <summary>The <c>reason</c> label of a lost packet.</summary>
    public static string Reason(this PingOutcome outcome) => outcome switch
    {
        PingOutcome.Reply => "none",
        PingOutcome.Timeout => "timeout",
        PingOutcome.Unreachable => "unreachable",
        PingOutcome.NoRoute => "no_route",
        PingOutcome.PermissionDenied => "permission_denied",
        _ => "send_error",
    };
}
