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

/// <summary>Keeps every outage in the history: its start as it is declared, its end when it ends.</summary>
public sealed class OutageHistoryRecorder(HistoryWriter writer) : IRecorder<OutageEvent>, ICommittingRecorder
{
    public void Record(OutageEvent result) => writer.Write(new OutageRow(result));
}

/// <summary>Keeps every alert notification Alertmanager delivered, once.</summary>
public sealed class AlertHistoryRecorder(HistoryWriter writer) : IRecorder<AlertNotification>, ICommittingRecorder
{
    public void Record(AlertNotification result) => writer.Write(new AlertRow(result));
}
