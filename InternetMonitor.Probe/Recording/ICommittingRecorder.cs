namespace InternetMonitor.Probe.Recording;

/// <summary>
/// A recorder that keeps results (the history database): the publisher hands it each result before the recorders that
/// report it (metrics, log lines, spans), so that a result is committed before it is reported.
/// </summary>
public interface ICommittingRecorder;
