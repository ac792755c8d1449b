namespace InternetMonitor.AppHost.Model;

public enum ResourceKind
{
    /// <summary>A project of this solution, run from its build output.</summary>
    Project,

    /// <summary>A program found on PATH.</summary>
    Executable,
}
