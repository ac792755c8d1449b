namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// A regulator's rules for a measurement campaign, as data (<c>Campaigns/campaign-rules.json</c>, one entry per
/// regulator): how many measurements on how many calendar days, their spacing, and the criteria that judge them. Another
/// regulator's rules are a new entry there, not new code (docs/report.md).
/// </summary>
public sealed record CampaignRules
{
    /// <summary>The entry's key, e.g. <c>bnetza</c>: what <c>POST /api/campaigns</c> names.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Who wrote the rules, as the report names them.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The procedure the rules describe, in a few words.</summary>
    public string Procedure { get; init; } = string.Empty;

    /// <summary>Where the rules are published (the ruling), cited in the report.</summary>
    public string Source { get; init; } = string.Empty;

    public string Url { get; init; } = string.Empty;

    /// <summary>Measurement days, each a different local calendar day.</summary>
    public int Days { get; init; }

    /// <summary>Measurements each measurement day holds.</summary>
    public int PerDay { get; init; }

    /// <summary>All measurement days fall within this many calendar days, the first included.</summary>
    public int WithinDays { get; init; }

    /// <summary>Calendar days with no measurement between two measurement days.</summary>
    public int GapDays { get; init; }

    /// <summary>The least time between the starts of two measurements.</summary>
    public TimeSpan MinSpacing { get; init; }

    /// <summary>After this many measurements of a day (0: none), a pause of <see cref="SplitGap"/>, so that a day's measurements are spread over it.</summary>
    public int SplitAfter { get; init; }

    public TimeSpan SplitGap { get; init; }

    /// <summary>The local time of a day's first planned measurement (the probe's choice of how to spread them).</summary>
    public TimeOnly DayStart { get; init; }

    /// <summary>The local time of a day's last planned measurement; a retried one may start up to <see cref="DayEnd"/> plus an hour, never after midnight.</summary>
    public TimeOnly DayEnd { get; init; }

    /// <summary>How long after a skipped or failed measurement it is tried again the same day.</summary>
    public TimeSpan RetryAfter { get; init; }

    /// <summary>Whether the rules count only measurements over a cable to the router.</summary>
    public bool Wired { get; init; }

    public IReadOnlyList<CampaignCriterion> Criteria { get; init; } = [];

    /// <summary>The measurements a whole campaign holds.</summary>
    public int Measurements => Days * PerDay;
}
