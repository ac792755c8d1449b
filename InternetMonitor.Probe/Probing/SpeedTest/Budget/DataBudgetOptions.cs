namespace InternetMonitor.Probe.Probing.SpeedTest.Budget;

/// <summary>Bound from <c>Monitor:SpeedTest:Budget</c>: how many bytes scheduled speed tests may use, per day and per month.</summary>
public sealed class DataBudgetOptions
{
    /// <summary>Bytes per calendar day (local time); 0: no daily cap.</summary>
    public long Daily { get; set; }

    /// <summary>Bytes per billing month; 0: no monthly cap.</summary>
    public long Monthly { get; set; }

    /// <summary>The day of the month the provider's billing month starts (1 to 28).</summary>
    public int MonthStartDay { get; set; } = 1;

    /// <summary>Where the bytes used so far are kept across restarts (a relative path is in the data folder, <c>Monitor:DataDirectory</c>).</summary>
    public string StatePath { get; set; } = "speedtest-budget.json";
}
