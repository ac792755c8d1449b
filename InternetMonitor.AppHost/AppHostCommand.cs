using System.Diagnostics;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Rendering;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost;

/// <summary>
/// The AppHost's command line. <c>render --output DIR</c> writes the stack's configuration (observability/, with
/// Alertmanager's receivers rendered from the <c>Alerting</c> settings) for Prometheus, Alertmanager and Grafana
/// run by hand or by a service manager. Settings come from appsettings.json, the environment and
/// <c>--Section:Key=value</c> arguments, in that order.
/// </summary>
public static partial class AppHostCommand
{
    public const int UsageExitCode = 2;

    private const string Usage = """
        Usage: InternetMonitor.AppHost render --output DIR [--alertmanager-version X.Y.Z] [--alertmanager-config-dir PATH] [--Alerting:KEY=VALUE ...]
          --output DIR                    where the rendered observability/ folder is written
          --alertmanager-version X.Y.Z    the Alertmanager that will read it (default: the one on PATH, else 0.25.0)
          --alertmanager-config-dir PATH  where that Alertmanager finds DIR/alertmanager (default: its absolute path here)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] != "render")
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return UsageExitCode;
        }

        string? outputDirectory = null;
        string? version = null;
        string? configDirectory = null;
        var settings = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" when i + 1 < args.Length:
                    outputDirectory = args[++i];
                    break;
                case "--alertmanager-version" when i + 1 < args.Length:
                    version = args[++i];
                    break;
                case "--alertmanager-config-dir" when i + 1 < args.Length:
                    configDirectory = args[++i];
                    break;
                default:
                    if (!args[i].StartsWith("--", StringComparison.Ordinal) || !args[i].Contains('=', StringComparison.Ordinal))
                    {
                        await error.WriteLineAsync($"Unknown argument {args[i]}\n{Usage}").ConfigureAwait(false);
                        return UsageExitCode;
                    }

                    settings.Add(args[i]);
                    break;
            }
        }

        if (outputDirectory is null)
        {
            await error.WriteLineAsync($"--output is required\n{Usage}").ConfigureAwait(false);
            return UsageExitCode;
        }

        var alertmanagerVersion = version is null ? InstalledAlertmanagerVersion() ?? AlertmanagerTarget.Debian12 : ParseVersion(version);
        if (alertmanagerVersion is null)
        {
            await error.WriteLineAsync($"--alertmanager-version must be a version such as 0.25.0 (got \"{version}\")").ConfigureAwait(false);
            return UsageExitCode;
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. settings])
            .Build();
        AlertingOptions alerting;
        try
        {
            alerting = configuration.GetSection(AlertingOptions.Section).Get<AlertingOptions>() ?? new AlertingOptions();
        }
        catch (InvalidOperationException exception)
        {
            await error.WriteLineAsync($"Invalid configuration: {exception.Message}").ConfigureAwait(false);
            return UsageExitCode;
        }

        var fullOutput = Path.GetFullPath(outputDirectory);
        var target = new AlertmanagerTarget(alertmanagerVersion, configDirectory ?? Path.Combine(fullOutput, "alertmanager"));
        var errors = ObservabilityRenderer.Render(ObservabilityRenderer.SourceDirectory, fullOutput, alerting, target, SecretReader.FromProcess);
        foreach (var problem in errors)
        {
            await error.WriteLineAsync($"Invalid configuration: {problem}").ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            return UsageExitCode;
        }

        await output.WriteLineAsync($"Rendered {fullOutput} for Alertmanager {alertmanagerVersion.ToString(3)}").ConfigureAwait(false);
        return 0;
    }

    private static Version? ParseVersion(string text) =>
        Version.TryParse(text.TrimStart('v'), out var version) && version.Build >= 0 ? version : null;

    /// <summary>The version of the Alertmanager on PATH (Debian's or upstream's name), or null when there is none.</summary>
    private static Version? InstalledAlertmanagerVersion()
    {
        foreach (var name in new[] { "prometheus-alertmanager", "alertmanager" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(name, "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
                if (process is null)
                {
                    continue;
                }

                var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (VersionPattern().Match(text) is { Success: true } match)
                {
                    return ParseVersion(match.Groups[1].Value);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not on PATH under this name
            }
        }

        return null;
    }

    [GeneratedRegex(@"version (\d+\.\d+\.\d+)")]
    private static partial Regex VersionPattern();
}
