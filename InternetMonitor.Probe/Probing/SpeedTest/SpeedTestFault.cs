namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>A transfer or latency request that failed in a way the run reports (never escapes the engine).</summary>
public sealed class SpeedTestFault : Exception
{
    public SpeedTestFault()
        : this(SpeedTestFailureReason.Error, "speed test failed")
    {
    }

    public SpeedTestFault(string message)
        : this(SpeedTestFailureReason.Error, message)
    {
    }

    public SpeedTestFault(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = SpeedTestFailureReason.Error;
    }

    public SpeedTestFault(string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>One of <see cref="SpeedTestFailureReason"/>.</summary>
    public string Reason { get; }
}
