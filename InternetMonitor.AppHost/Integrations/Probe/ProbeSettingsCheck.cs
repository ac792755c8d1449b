using System.Diagnostics;
using System.Reflection;
using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Integrations.Probe;

/// <summary>
/// The probe's own check of the settings it would start with (<c>check-config</c>, the same validation as a start),
/// run before the stack starts or is published: a bad <c>Monitor:</c> value is one message, not a probe that
/// Aspire or compose restarts again and again.
/// </summary>
public static class ProbeSettingsCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>The probe's build output, next to this AppHost's in the solution.</summary>
    public static string ProbeAssembly { get; } =
        typeof(ProbeSettingsCheck).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "ProbeAssembly").Value!;

    /// <summary>The probe's message (prefixed <c>probe: </c>) when it refuses the settings, else null.</summary>
    public static async Task<string?> RunAsync(IConfiguration configuration, StackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(ProbeAssembly))
        {
            return $"probe: not built ({ProbeAssembly} is missing): dotnet build";
        }

        var scratch = Directory.CreateTempSubdirectory("internet-monitor-check-");
        try
        {
            // Checked as a program of this host would run it, with its files in a scratch folder.
            var layout = new StackLayout(StackRun.Processes, new StackOptions { ListenAddress = options.ListenAddress, StateDirectory = scratch.FullName, Ports = options.Ports });
            var start = new ProcessStartInfo(DotnetHost.Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = scratch.FullName,
                ArgumentList = { ProbeAssembly, "check-config" },
            };
            foreach (var (name, value) in ProbeEnvironment.For(configuration, layout, options.Ports.Probe))
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return $"probe: its settings check did not finish within {Timeout.TotalSeconds:0} s";
            }

            await output.ConfigureAwait(false);
            var message = (await error.ConfigureAwait(false)).Trim();
            return process.ExitCode == 0 ? null : $"probe: {(message.Length > 0 ? message : $"its settings check exited with code {process.ExitCode}")}";
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
