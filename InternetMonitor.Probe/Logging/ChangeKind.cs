namespace InternetMonitor.Probe.Logging;

/// <summary>What a check's latest attempt asks the log to say.</summary>
public enum ChangeKind
{
    /// <summary>Nothing beyond the attempt's own Debug line.</summary>
    None,

    /// <summary>It started failing: a warning with the reason.</summary>
    Failing,

    /// <summary>It keeps failing and the last line is <c>RepeatEvery</c> old: a reminder with the count since.</summary>
    StillFailing,

    /// <summary>An announced failure ended: how long it lasted and how many attempts failed.</summary>
    Recovered,

    /// <summary>It works now, but failed and recovered since the last line without a line of its own (a flapping check).</summary>
    Flapped,
}
