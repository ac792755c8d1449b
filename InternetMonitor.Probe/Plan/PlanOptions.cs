namespace InternetMonitor.Probe.Plan;

/// <summary>
/// Bound from <c>Monitor:Plan</c>: the contract's speeds, set once here and exported as
/// <c>internet_monitor_plan_*_bytes_per_second</c>, so that alerts, dashboards, the status page and the provider report
/// compare against the same figures and no threshold is copied into rules. In Mbit/s, as contracts write them; 0 leaves
/// a speed unstated. The three speeds are those the EU's open-internet regulation (2015/2120, article 4) asks a fixed-line
/// contract to state: the maximum (<see cref="DownloadMbps"/>), the normally available and the minimum.
/// </summary>
public sealed class PlanOptions
{
    public const string Section = "Plan";

    /// <summary>The contract's maximum (the advertised speed) download.</summary>
    public double DownloadMbps { get; set; }

    /// <summary>The contract's maximum upload.</summary>
    public double UploadMbps { get; set; }

    /// <summary>The download speed the contract says is normally available (most of the time).</summary>
    public double DownloadNormalMbps { get; set; }

    /// <summary>The normally available upload.</summary>
    public double UploadNormalMbps { get; set; }

    /// <summary>The least download speed the contract promises at any time.</summary>
    public double DownloadMinimumMbps { get; set; }

    /// <summary>The least upload the contract promises.</summary>
    public double UploadMinimumMbps { get; set; }

    /// <summary>What the contract costs a month, for the report's "what you paid for" line; 0: not stated.</summary>
    public double MonthlyPrice { get; set; }

    /// <summary>The price's currency as the report writes it (an ISO 4217 code such as EUR, or a sign); empty: none shown.</summary>
    public string Currency { get; set; } = string.Empty;

    /// <summary>The three speeds of <paramref name="direction"/> (download or upload), 0 where unstated.</summary>
    public PlanSpeeds Speeds(string direction) => direction == "upload"
        ? new PlanSpeeds(UploadMbps, UploadNormalMbps, UploadMinimumMbps)
        : new PlanSpeeds(DownloadMbps, DownloadNormalMbps, DownloadMinimumMbps);
}
