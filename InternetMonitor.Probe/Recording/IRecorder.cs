namespace InternetMonitor.Probe.Recording;

/// <summary>Consumes results of one type: metrics, logs, history. Adding a sink touches no prober.</summary>
public interface IRecorder<in TResult>
{
    void Record(TResult result);
}
