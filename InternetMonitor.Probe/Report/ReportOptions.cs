namespace InternetMonitor.Probe.Report;

/// <summary>
/// Bound from <c>Monitor:Report</c>: what the provider report and a measurement campaign need to know that the probe
/// cannot measure: the time zone whose calendar days and hours they count in, and whether the probe is on a cable to the
/// router (a regulator counts only wired measurements; the user states it, the probe cannot tell).
/// </summary>
public sealed class ReportOptions
{
    public const string Section = "Report";

    /// <summary>An IANA time zone such as <c>Europe/Berlin</c>; empty: the system's own (<c>TZ</c>, <c>/etc/localtime</c>).</summary>
    public string TimeZone { get; set; } = string.Empty;

    /// <summary>Whether the probe is connected to the router by a cable; null: not stated (the report says so).</summary>
    public bool? Wired { get; set; }

    /// <summary>The time zone <see cref="TimeZone"/> names, or the system's own.</summary>
    /// <exception cref="TimeZoneNotFoundException">The name is not a time zone this system knows (the validator refuses it at start).</exception>
    public TimeZoneInfo Zone() => TimeZone.Length == 0 ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The zone's name as the report and the history keep it (the system's own zone by its id, UTC when it has none).</summary>
    public string ZoneName() => TimeZone.Length > 0 ? TimeZone : TimeZoneInfo.Local.Id is { Length: > 0 } id ? id : "UTC";
}
