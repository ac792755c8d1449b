using System.ComponentModel;
using System.Diagnostics;

namespace InternetMonitor.AppHost.Stack;

/// <summary>Asks the Docker engine something through the <c>docker</c> client on PATH (which honours DOCKER_HOST), as DCP does.</summary>
public static class DockerCli
{
    /// <summary>The client's exit code and output; null when there is no client or it does not answer within <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output, string Error)? Run(IEnumerable<string> arguments, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var docker = Process.Start(start);
            if (docker is null)
            {
                return null;
            }

            var output = docker.StandardOutput.ReadToEndAsync();
            var error = docker.StandardError.ReadToEndAsync();
            if (!docker.WaitForExit(timeout))
            {
                docker.Kill();
                return null;
            }

            return (docker.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
        catch (Win32Exception)
        {
            return null; // no docker client
        }
    }

    /// <summary>The oldest client DCP drives containers with: with an older one it calls the runtime unhealthy and starts none.</summary>
    public const int MinimumClientMajor = 25;

    /// <summary>Why the client on PATH cannot run the stack's containers under Aspire (absent, or older than DCP takes), or null.</summary>
    public static string? ClientProblem()
    {
        // The client prints its own version even when the engine does not answer (and then exits 1).
        var version = Run(["version", "--format", "{{.Client.Version}}"], TimeSpan.FromSeconds(10))?.Output.Trim() ?? string.Empty;
        var major = version.Split('.')[0];
        return int.TryParse(major, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= MinimumClientMajor
            ? null
            : $"container mode needs a docker client {MinimumClientMajor} or later first on PATH (Aspire's DCP starts no container with an older one); this one is {(version.Length > 0 ? version : "not there")}: install docker-ce-cli, or run --mode process";
    }
}
