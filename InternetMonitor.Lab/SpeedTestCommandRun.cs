using System.Text.Json;
using InternetMonitor.Probe.Probing.SpeedTest.Command;

namespace InternetMonitor.Lab;

/// <summary>
/// The probe's <c>speedtest ... --json</c> run as a process inside a lab namespace: what a user runs, end to end,
/// its JSON document read back. The far side is usually another probe serving speed tests
/// (<see cref="ProbeProcess.StartSpeedTestServer"/>).
/// </summary>
public static class SpeedTestCommandRun
{
    /// <param name="network">Where the command runs.</param>
    /// <param name="program">The probe: its InternetMonitor.Probe.dll (run with dotnet) or its native executable.</param>
    /// <param name="arguments">Arguments after <c>speedtest</c>; <c>--json</c> is added.</param>
    /// <param name="deadline">How long the run may take.</param>
    /// <param name="cancellationToken">Stops waiting (the process is stopped by id).</param>
    public static async Task<(int ExitCode, SpeedTestReport? Report, string Error)> RunAsync(
        NetworkNamespace network, string program, IReadOnlyList<string> arguments, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        string[] probe = program.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", program] : [program];
        var environment = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" };
        await using var process = LabProcess.Start(network, [.. probe, SpeedTestCommand.Name, .. arguments, "--json"], environment, Path.GetDirectoryName(program));
        var code = await process.WaitForExitAsync(deadline, cancellationToken).ConfigureAwait(false);
        SpeedTestReport? report = null;
        try
        {
            report = JsonSerializer.Deserialize(process.Output, SpeedTestReportJsonContext.Default.SpeedTestReport);
        }
        catch (JsonException)
        {
            // No document: the error output says why.
        }

        return (code, report, process.Error);
    }
}
