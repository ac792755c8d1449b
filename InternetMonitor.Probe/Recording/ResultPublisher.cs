
namespace InternetMonitor.Probe.Recording;

/// <summary>
/// Hands each result to every registered recorder, those that keep it (<see cref="ICommittingRecorder"/>) first. A
/// recorder that throws is logged and skipped, so one broken sink never silences the others or stops the measurement.
/// </summary>
public sealed partial class ResultPublisher<TResult>(IEnumerable<IRecorder<TResult>> recorders, ILogger<ResultPublisher<TResult>> logger)
{
    private readonly IRecorder<TResult>[] _recorders = [.. recorders.OrderBy(recorder => recorder is ICommittingRecorder ? 0 : 1)];

    public void Publish(TResult result)
    {
        foreach (var recorder in _recorders)
        {
            try
            {
                recorder.Record(result);
            }
#pragma warning disable CA1031 // A sink's fault must not stop measuring: it is logged and the next sink runs.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRecorderFailed(logger, exception, recorder.GetType().Name, typeof(TResult).Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recorder {Recorder} failed to record a {Result}")]
    private static partial void LogRecorderFailed(ILogger logger, Exception exception, string recorder, string result);
}
