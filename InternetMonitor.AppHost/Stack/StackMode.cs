using System.Diagnostics;

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
    /// <summary>Container when <c>docker info</c> answers within 10 s (it honours DOCKER_HOST), else process.</summary>
    public static StackMode Resolve(StackMode mode)
    {
        if (mode != StackMode.Auto)
        {
            return mode;
        }

        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (docker is null)
            {
                return StackMode.Process;
            }

            docker.StandardOutput.ReadToEndAsync();
            docker.StandardError.ReadToEndAsync();
            if (!docker.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                docker.Kill();
                return StackMode.Process;
            }

            return docker.ExitCode == 0 ? StackMode.Container : StackMode.Process;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return StackMode.Process; // no docker client
        }
    }
}
