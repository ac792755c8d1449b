using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.History;

/// <summary>Keeps every speed test in the history, before it is reported.</summary>
public sealed class SpeedTestHistoryRecorder(HistoryWriter writer) : IRecorder<SpeedTestResult>, ICommittingRecorder
{
    public void Record(SpeedTestResult result) => writer.Write(new SpeedTestRow(result));
}

/// <summary>
/// Keeps every outage in the history: its start as it is declared, its end when it ends. An outage is declared on the
/// thread that reads echo replies, so it waits at most <see cref="Wait"/> for the commit: a slow disk must not delay
/// replies into timeouts. A row not committed by then is written all the same, just after it is reported.
/// </summary>
public sealed class OutageHistoryRecorder(HistoryWriter writer) : IRecorder<OutageEvent>, ICommittingRecorder
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    public void Record(OutageEvent result) => writer.Write(Wait, new OutageRow(result));
}

/// <summary>Keeps every alert notification Alertmanager delivered, once.</summary>
public sealed class AlertHistoryRecorder(HistoryWriter writer) : IRecorder<AlertNotification>, ICommittingRecorder
{
    public void Record(AlertNotification result) => writer.Write(new AlertRow(result));
}
