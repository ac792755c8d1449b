namespace InternetMonitor.AppHost.Hosting;

public enum ResourceState
{
    /// <summary>Declared; waiting for what it waits for.</summary>
    Waiting,

    /// <summary>Its program is on neither name on PATH: reported once, and the rest comes up without it.</summary>
    Missing,

    /// <summary>Started, not yet answering its health check.</summary>
    Starting,

    /// <summary>Started and answering its health check.</summary>
    Running,

    /// <summary>Exited; started again after a back-off.</summary>
    Restarting,

    /// <summary>Stopped with the stack.</summary>
    Stopped,
}
