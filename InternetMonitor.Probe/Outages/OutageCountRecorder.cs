using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Outages;

/// <summary>Counts each outage in <c>internet_monitor_outages_total</c> as it is reported: after its start is kept in the history.</summary>
public sealed class OutageCountRecorder(ConnectivityMetrics metrics) : IRecorder<OutageEvent>
{
    public void Record(OutageEvent result)
    {
        if (result is OutageStarted started)
        {
            metrics.Counted(started);
        }
    }
}
