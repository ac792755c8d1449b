using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.History;

/// <summary>Keeps every speed test in the history; its metrics are set once the row is committed.</summary>
public sealed class SpeedTestHistoryRecorder(HistoryWriter writer) : ICommittingRecorder<SpeedTestResult>
{
    public Task Commit(SpeedTestResult result) => writer.CommitAsync(new SpeedTestRow(result));
}

/// <summary>
/// Keeps every outage in the history: its start as it is declared, its end when it ends. An outage is declared on the
/// thread that reads echo replies, which hands the row over and returns; its log line and count follow the commit.
/// </summary>
public sealed class OutageHistoryRecorder(HistoryWriter writer) : ICommittingRecorder<OutageEvent>
{
    public Task Commit(OutageEvent result) => writer.CommitAsync(new OutageRow(result));
}

/// <summary>Keeps every alert notification Alertmanager delivered, once.</summary>
public sealed class AlertHistoryRecorder(HistoryWriter writer) : ICommittingRecorder<AlertNotification>
{
    public Task Commit(AlertNotification result) => writer.CommitAsync(new AlertRow(result));
}
