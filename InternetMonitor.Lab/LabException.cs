namespace InternetMonitor.Lab;

/// <summary>The lab could not do what it was asked: a command failed, or a process did not show what was awaited.</summary>
public sealed class LabException : Exception
{
    public LabException()
    {
    }

    public LabException(string message)
        : base(message)
    {
    }

    public LabException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
