using InternetMonitor.Probe.History;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>A campaign's measurements as the judge counts them: its successful speed tests, each on the calendar day of its start in the campaign's time zone.</summary>
public static class CampaignMeasurements
{
    /// <summary>The tests of <paramref name="campaign"/> among <paramref name="tests"/> that measured both directions, oldest first.</summary>
    public static IReadOnlyList<CampaignMeasurement> Of(CampaignRecord campaign, IEnumerable<SpeedTestRecord> tests)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(tests);
        var zone = Zone(campaign.TimeZone);
        return
        [
            .. tests
                .Where(test => test.Campaign == campaign.Id && test.Result == "success" && test.DownloadMbps is not null && test.UploadMbps is not null)
                .OrderBy(test => test.StartedAt)
                .Select(test => new CampaignMeasurement(test.StartedAt, Day(test.StartedAt, zone), test.DownloadMbps!.Value, test.UploadMbps!.Value)),
        ];
    }

    /// <summary>The tries of <paramref name="campaign"/> the history holds among <paramref name="tests"/>: each of its speed tests, measured or failed with its reason.</summary>
    public static IReadOnlyList<CampaignAttempt> Tries(CampaignRecord campaign, IEnumerable<SpeedTestRecord> tests)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(tests);
        return
        [
            .. tests.Where(test => test.Campaign == campaign.Id)
                .Select(test => test.Result == "success"
                    ? new CampaignAttempt(test.StartedAt, true, null, test.DownloadMbps ?? 0, test.UploadMbps ?? 0)
                    : new CampaignAttempt(test.StartedAt, false, test.Reason)),
        ];
    }

    /// <summary>The local calendar day of <paramref name="time"/> in <paramref name="zone"/>.</summary>
    public static DateOnly Day(DateTimeOffset time, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, zone).DateTime);

    /// <summary>The zone a campaign was started in; UTC if this system no longer knows it (its days are then counted in UTC, and the report says which zone).</summary>
    public static TimeZoneInfo Zone(string name)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
