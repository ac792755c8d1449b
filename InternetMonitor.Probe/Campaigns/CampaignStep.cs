using System.ComponentModel.DataAnnotations;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// What a campaign does next (<see cref="CampaignPlanner"/>): measure at <see cref="Due"/> on measurement day
/// <see cref="Day"/> (the <see cref="DayNumber"/>th), or end: <c>completed</c> (every day holds its measurements) or
/// <c>expired</c> (the days left no longer fit in the rules' window; <see cref="Why"/> says so). <see cref="Planned"/>
/// is the rest of the day's plan, the due one first, each pushed after the one before by the rules' spacing.
/// </summary>
public sealed record CampaignStep(
    [property: AllowedValues(CampaignStep.Measure, CampaignStep.Completed, CampaignStep.Expired)] string Action,
    DateTimeOffset? Due,
    DateOnly? Day,
    int DayNumber,
    int MeasuredToday,
    IReadOnlyList<DateOnly> CompleteDays,
    IReadOnlyList<DateTimeOffset> Planned,
    DateOnly LastDay,
    string? Why = null)
{
    public const string Measure = "measure";
    public const string Completed = "completed";
    public const string Expired = "expired";
}
