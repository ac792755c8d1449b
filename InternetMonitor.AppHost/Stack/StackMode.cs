namespace InternetMonitor.AppHost.Stack;

/// <summary>How the observability parts run under Aspire: as programs of this host, or as containers.</summary>
public enum StackMode
{
    /// <summary>Containers when a Docker engine answers <c>docker info</c>, else programs.</summary>
    Auto,

    /// <summary>Executable resources: the Debian programs on PATH.</summary>
    Process,

    /// <summary>Container resources: the upstream images, pinned.</summary>
    Container,
}

/// <summary>Decides <see cref="StackMode.Auto"/>.</summary>
public static class StackModes
{
    /// <summary>Container when <c>docker info</c> answers within 10 s (it honours DOCKER_HOST) and the client is one DCP takes, else process.</summary>
    public static StackMode Resolve(StackMode mode) =>
        mode != StackMode.Auto ? mode
        : DockerCli.Run(["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(10)) is { ExitCode: 0 } && DockerCli.ClientProblem() is null ? StackMode.Container
        : StackMode.Process;
}
