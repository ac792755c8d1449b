namespace InternetMonitor.Probe.Recording;

/// <summary>
/// A recorder that keeps results (the history database): the publisher hands it each result first, and runs the
/// recorders that report it (metrics, log lines) once the task it returns completes, so that a result is committed
/// before it is reported. The task completes when the result is on disk, or at once when the store is known not to
/// take it now (the result waits there and is written later); handing a result over never waits.
/// </summary>
public interface ICommittingRecorder<in TResult>
{
    Task Commit(TResult result);
}
