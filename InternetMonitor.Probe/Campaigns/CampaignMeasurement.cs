namespace InternetMonitor.Probe.Campaigns;

/// <summary>One successful measurement of a campaign: when it started, its local calendar day, both speeds in Mbit/s.</summary>
public sealed record CampaignMeasurement(DateTimeOffset StartedAt, DateOnly Day, double DownloadMbps, double UploadMbps)
{
    /// <summary>The speed of <paramref name="direction"/> (download or upload).</summary>
    public double Mbps(string direction) => direction == "upload" ? UploadMbps : DownloadMbps;
}
