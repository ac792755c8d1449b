using System.Globalization;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Hosting;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// What a report covers: a local calendar month in <see cref="Zone"/>, or a campaign from its start to its end; in both
/// the range [<see cref="From"/>, <see cref="To"/>) ends no later than the report's time cut to its minute, so that the
/// CSV files of the range are the same when asked for again (the minute going on is not in them).
/// </summary>
public sealed record ReportScope(string Kind, DateOnly? Month, CampaignRecord? Campaign, DateTimeOffset From, DateTimeOffset To, TimeZoneInfo Zone, string ZoneName)
{
    public const string MonthKind = "month";
    public const string CampaignKind = "campaign";

    /// <summary>The local calendar month <paramref name="month"/> (its first day) in <paramref name="zone"/>, cut at <paramref name="now"/>.</summary>
    public static ReportScope ForMonth(DateOnly month, TimeZoneInfo zone, string zoneName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var first = new DateOnly(month.Year, month.Month, 1);
        var from = LocalMidnight(first, zone);
        var to = LocalMidnight(first.AddMonths(1), zone);
        return new(MonthKind, first, null, from, Cut(to, now), zone, zoneName);
    }

    /// <summary><paramref name="campaign"/> from its start to its end (or now), its days and hours counted in its own zone.</summary>
    public static ReportScope ForCampaign(CampaignRecord campaign, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var zone = Campaigns.CampaignMeasurements.Zone(campaign.TimeZone);
        var to = Cut(campaign.EndedAt ?? now, now);
        return new(CampaignKind, null, campaign, campaign.StartedAt, to > campaign.StartedAt ? to : campaign.StartedAt, zone, zone == TimeZoneInfo.Utc ? "UTC" : campaign.TimeZone);
    }

    /// <summary>
    /// The month a request names (<c>YYYY-MM</c>), or the current local one when it names none; or the sentence that
    /// says why it cannot be reported.
    /// </summary>
    public static (DateOnly? Month, string? Problem) ParseMonth(string? text, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var current = new DateOnly(local.Year, local.Month, 1);
        if (string.IsNullOrEmpty(text))
        {
            return (current, null);
        }

        if (text.Length != 7 || !DateOnly.TryParseExact(text, "yyyy'-'MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) || month.Year < 1970)
        {
            return (null, $"month must be a calendar month as YYYY-MM, such as {current:yyyy'-'MM} (got {ClientText.Quote(text)})");
        }

        return month > current
            ? (null, $"{month:yyyy'-'MM} is in the future: the report covers months up to the current one")
            : (month, null);
    }

    /// <summary>The instant a local calendar day begins in <paramref name="zone"/> (a midnight skipped by a clock change: the first local time after it).</summary>
    public static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The name a person reads: "December 2026", or the campaign's.</summary>
    public string Name => Month is { } month
        ? month.ToString("MMMM yyyy", CultureInfo.InvariantCulture)
        : $"campaign {Campaign!.Id}";

    private static DateTimeOffset Cut(DateTimeOffset end, DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return end < minute ? end : minute;
    }
}
