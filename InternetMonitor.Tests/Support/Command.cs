using System.Diagnostics;

namespace InternetMonitor.Tests.Support;

/// <summary>Runs a program to completion and returns what it printed.</summary>
public static class Command
{
    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return (process.ExitCode, await output, await error);
    }

    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var (exitCode, output, error) = await TryRunAsync(program, arguments);
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {exitCode}: {error}");
        return output;
    }
}
