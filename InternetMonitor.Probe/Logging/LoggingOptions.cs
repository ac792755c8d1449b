namespace InternetMonitor.Probe.Logging;

/// <summary>Bound from <c>Monitor:Logging</c>: how often the log speaks about a check that keeps failing.</summary>
public sealed class LoggingOptions
{
    public const string Section = "Logging";

    /// <summary>A check that keeps failing (or flapping) writes one line at most this often; every attempt is still at Debug.</summary>
    public TimeSpan RepeatEvery { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A ping target whose loss over <c>Monitor:Icmp:StatisticsWindow</c> is above this ratio (0..1) is failing.</summary>
    public double LossAbove { get; set; } = 0.05;
}
