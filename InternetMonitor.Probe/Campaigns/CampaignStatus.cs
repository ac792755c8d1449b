using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// A campaign as the API, the command line and the status page show it: what it is, where it stands (the measurement
/// day it is on, the measurements each whole day holds), what is next, and its verdict on what has been measured so far.
/// </summary>
public sealed record CampaignStatus(
    string Id,
    string Rules,
    [property: Description("Who wrote the rules.")] string RulesName,
    DateTimeOffset StartedAt,
    [property: Description("The IANA time zone its calendar days are counted in (Monitor:Report:TimeZone at its start).")] string TimeZone,
    [property: Description("Whether the probe is on a cable to the router, as the user stated (Monitor:Report:Wired); null: not stated.")] bool? Wired,
    [property: AllowedValues("running", "completed", "cancelled", "expired")] string State,
    DateTimeOffset? EndedAt,
    [property: Description("Why it ended, in a sentence.")] string? Detail,
    [property: Description("The measurement day it is on (1 to days).")] int Day,
    int Days,
    int PerDay,
    [property: Description("Successful measurements of its whole days and of the day under way.")] int Measured,
    int Required,
    [property: Description("Tries that did not measure (an outage, the budget, a failed test); each tried again later that day.")] int Failed,
    IReadOnlyList<DateOnly> CompleteDays,
    [property: Description("The next measurement's start; null once it has ended.")] DateTimeOffset? Next,
    [property: Description("The rest of the day's plan, the next first.")] IReadOnlyList<DateTimeOffset> Planned,
    [property: Description("The last calendar day its measurement days may fall on.")] DateOnly LastDay,
    CampaignVerdict Verdict);
