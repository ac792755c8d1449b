using System.ComponentModel.DataAnnotations;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// One criterion judged for one direction: the threshold (the contract's speed times the criterion's factor; null when
/// the contract states no such speed), what was counted (<see cref="Observed"/> days or measurements of
/// <see cref="OutOf"/>, against <see cref="Required"/>), the outcome, a sentence saying so, and the measurements that
/// decided it (ReachOnDays: each day's best; ReachInShare: those below the threshold; BelowOnDays: each failing day's lowest).
/// </summary>
public sealed record CriterionVerdict(
    string Criterion,
    [property: AllowedValues("download", "upload")] string Direction,
    CriterionKind Kind,
    string Wording,
    double? ThresholdMbps,
    [property: AllowedValues(CriterionVerdict.Met, CriterionVerdict.NotMet, CriterionVerdict.NotAssessed)] string Outcome,
    int Observed,
    int Required,
    int OutOf,
    string Finding,
    IReadOnlyList<CampaignMeasurement> Deciding)
{
    public const string Met = "met";
    public const string NotMet = "not_met";
    public const string NotAssessed = "not_assessed";
}
