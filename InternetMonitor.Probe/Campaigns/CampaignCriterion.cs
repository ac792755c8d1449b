using System.Text.Json.Serialization;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// One criterion of a campaign's rules, judged per direction against one of the contract's speeds times
/// <see cref="Factor"/> (the threshold): <see cref="CriterionKind"/> says how the measurements are counted,
/// <see cref="Days"/> or <see cref="Share"/> how many must be. <see cref="Wording"/> is the rule as the report states it.
/// </summary>
public sealed record CampaignCriterion
{
    public string Id { get; init; } = string.Empty;

    public CriterionKind Kind { get; init; }

    public PlanSpeed Speed { get; init; }

    public double Factor { get; init; } = 1;

    /// <summary>ReachOnDays: the days that must reach the threshold; BelowOnDays: the days below it that fail the line.</summary>
    public int Days { get; init; }

    /// <summary>ReachInShare: the share of measurements (0..1) that must reach the threshold.</summary>
    public double Share { get; init; }

    public string Wording { get; init; } = string.Empty;
}

/// <summary>How a criterion counts the measurements.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CriterionKind>))]
public enum CriterionKind
{
    /// <summary>Met when at least <c>Days</c> measurement days hold a measurement at or above the threshold.</summary>
    ReachOnDays,

    /// <summary>Met when at least <c>Share</c> of all measurements are at or above the threshold.</summary>
    ReachInShare,

    /// <summary>Not met when <c>Days</c> or more measurement days hold a measurement below the threshold.</summary>
    BelowOnDays,
}

/// <summary>Which of the contract's speeds (<c>Monitor:Plan</c>) a criterion is judged against.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlanSpeed>))]
public enum PlanSpeed
{
    Maximum,
    Normal,
    Minimum,
}
