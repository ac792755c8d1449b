namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>Neither socket kind could be opened; the message says what to change.</summary>
public sealed class IcmpUnavailableException : Exception
{
    public IcmpUnavailableException()
    {
    }

    public IcmpUnavailableException(string message)
        : base(message)
    {
    }

    public IcmpUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
