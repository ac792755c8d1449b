namespace InternetMonitor.Probe.Hosting;

/// <summary>A start-up failure the user can fix (no ICMP permission, say): its message is all they need to read.</summary>
public sealed class ProbeStartupException : Exception
{
    public ProbeStartupException()
    {
    }

    public ProbeStartupException(string message)
        : base(message)
    {
    }

    public ProbeStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
