namespace InternetMonitor.Probe.Plan;

/// <summary>One direction's contract speeds in Mbit/s, 0 where the contract states none.</summary>
public sealed record PlanSpeeds(double MaximumMbps, double NormalMbps, double MinimumMbps)
{
    /// <summary>Whether the contract states any speed for this direction.</summary>
    public bool Stated => MaximumMbps > 0 || NormalMbps > 0 || MinimumMbps > 0;
}
