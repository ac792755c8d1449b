using System.ComponentModel.DataAnnotations;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// A campaign judged by its rules: <see cref="Outcome"/> is <c>deviation</c> when a complete campaign fails a criterion in
/// either direction (the line under-delivers by the rules' wording), <c>no_deviation</c> when it meets every one it could
/// judge, <c>incomplete</c> while measurements are missing (the criteria are then judged on those there are), and
/// <c>not_assessed</c> when the contract states none of the speeds the criteria need.
/// </summary>
public sealed record CampaignVerdict(
    string Rules,
    [property: AllowedValues(CampaignVerdict.Deviation, CampaignVerdict.NoDeviation, CampaignVerdict.Incomplete, CampaignVerdict.Unassessed)] string Outcome,
    bool Complete,
    int Measurements,
    int MeasurementsRequired,
    IReadOnlyList<CampaignDay> Days,
    IReadOnlyList<CriterionVerdict> Criteria)
{
    public const string Deviation = "deviation";
    public const string NoDeviation = "no_deviation";
    public const string Incomplete = "incomplete";
    public const string Unassessed = "not_assessed";
}

/// <summary>A measurement day: its date and how many of its measurements were taken.</summary>
public sealed record CampaignDay(DateOnly Day, int Measurements);
