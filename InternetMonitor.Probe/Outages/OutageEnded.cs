namespace InternetMonitor.Probe.Outages;

/// <param name="Start"></param>

/// <param name="Cause"></param>/// <param name="End">Send time of the first echo of the run of replies that ended it.</param>
public sealed record OutageEnded(DateTimeOffset Start, OutageCause Cause, DateTimeOffset End) : OutageEvent(Start, Cause)
{
    public TimeSpan Duration => End - Start;
}
