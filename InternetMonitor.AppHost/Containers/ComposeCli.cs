using System.Diagnostics;

namespace InternetMonitor.AppHost.Containers;

/// <summary>
/// The Docker command line the container mode drives: <c>docker compose</c> (the plugin) or, where only the older
/// tool is installed, <c>docker-compose</c>; both read the project's docker-compose.yaml and .env, and both reach the
/// engine that DOCKER_HOST names.
/// </summary>
public sealed class ComposeCli
{
    private readonly string[] _compose;

    private ComposeCli(string[] compose, string directory)
    {
        _compose = compose;
        Directory = directory;
    }

    /// <summary>The project folder every command runs in.</summary>
    public string Directory { get; }

    public string Name => string.Join(' ', _compose);

    /// <summary>Whether a Docker engine answers <c>docker info</c> within 15 s.</summary>
    public static async Task<bool> EngineAnswersAsync(CancellationToken cancellationToken = default) =>
        (await RunAsync(["docker", "info", "--format", "{{.ServerVersion}}"], null, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false)).ExitCode == 0;

    /// <summary>The compose command installed here for <paramref name="directory"/>, or null when there is none.</summary>
    public static async Task<ComposeCli?> FindAsync(string directory, CancellationToken cancellationToken = default)
    {
        foreach (var candidate in new[] { new[] { "docker", "compose" }, ["docker-compose"] })
        {
            if ((await RunAsync([.. candidate, "version"], null, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false)).ExitCode == 0)
            {
                return new ComposeCli(candidate, directory);
            }
        }

        return null;
    }

    /// <summary>Runs <c>compose ARGS</c> to its end, each output line to <paramref name="line"/>; returns its exit code.</summary>
    public async Task<int> RunAsync(IEnumerable<string> arguments, Action<string> line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        using var process = Start(arguments);
        var output = PumpAsync(process.StandardOutput, line);
        var errors = PumpAsync(process.StandardError, line);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(output, errors).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Runs <c>compose ARGS</c> and returns what it printed on standard output (empty on failure).</summary>
    public async Task<(int ExitCode, string Output)> CaptureAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (code, output, _) = await RunAsync([.. _compose, .. arguments], Directory, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return (code, output);
    }

    /// <summary>
    /// A <c>compose ARGS</c>, its output read by the caller. It runs in a session of its own (util-linux's setsid), so
    /// that a Ctrl+C in the terminal reaches the AppHost alone, which then stops it or lets <c>down</c> finish.
    /// </summary>
    public Process Start(IEnumerable<string> arguments)
    {
        var setsid = Hosting.ProgramLocator.OnPath("setsid");
        var start = new ProcessStartInfo(setsid ?? _compose[0])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in (setsid is null ? _compose.Skip(1) : _compose).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Name} did not start");
        process.StandardInput.Close();
        return process;
    }

    /// <summary><c>docker inspect</c> of containers, as JSON (empty on failure).</summary>
    public static async Task<string> InspectAsync(IReadOnlyList<string> containers, CancellationToken cancellationToken)
    {
        if (containers.Count == 0)
        {
            return "[]";
        }

        var (code, output, _) = await RunAsync(["docker", "inspect", .. containers], null, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return code == 0 ? output : "[]";
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] command, string? directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, string.Empty, $"{command[0]} not found");
        }

        if (process is null)
        {
            return (-1, string.Empty, $"{command[0]} did not start");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, string.Empty, $"{command[0]} did not answer within {timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> line)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } text)
            {
                line(text);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The process is gone and its streams with it.
        }
    }
}
