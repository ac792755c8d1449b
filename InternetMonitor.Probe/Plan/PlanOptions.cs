namespace InternetMonitor.Probe.Plan;

/// <summary>
/// Bound from <c>Monitor:Plan</c>: the speeds the provider sells, set once here and exported as
/// <c>internet_monitor_plan_bytes_per_second</c>, so that alerts and dashboards compare against it and no threshold
/// is copied into rules. In Mbit/s, as providers write them; 0 leaves a direction without a plan.
/// </summary>
public sealed class PlanOptions
{
    public const string Section = "Plan";

    public double DownloadMbps { get; set; }

    public double UploadMbps { get; set; }
}
