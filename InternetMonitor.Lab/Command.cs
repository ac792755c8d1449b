using System.Diagnostics;

namespace InternetMonitor.Lab;

/// <summary>Runs a program to completion and returns what it printed.</summary>
public static class Command
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static Task<(int ExitCode, string Output, string Error)> TryRunAsync(string program, params string[] arguments) =>
        TryRunAsync(program, arguments, Deadline);

    /// <summary>Runs the program for up to <paramref name="within"/> (a build, a bootstrap), with extra environment variables.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string program, IReadOnlyList<string> arguments, TimeSpan within, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {within.TotalSeconds} s");
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Runs the program; throws <see cref="LabException"/> with its error output if it fails.</summary>
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var (exitCode, output, error) = await TryRunAsync(program, arguments).ConfigureAwait(false);
        return exitCode == 0
            ? output
            : throw new LabException($"{program} {string.Join(' ', arguments)} exited with {exitCode}: {error.Trim()}");
    }

    /// <summary>The full path of <paramref name="program"/> on PATH or in sbin, or null.</summary>
    public static string? Find(string program)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return directories.Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);
    }
}
