namespace InternetMonitor.AppHost.Model;

public enum ResourceKind
{
    /// <summary>A project of this solution, run from its build output.</summary>
    Project,

    /// <summary>A program found on PATH.</summary>
    Executable,

    /// <summary>An image with no program of its own here: run only in container mode and in the published project.</summary>
    Container,
}
