using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Rendering;

/// <summary>
/// The AppHost's command line. <c>render --output DIR</c> writes the stack's configuration (observability/, with
/// Alertmanager's receivers rendered from the <c>Alerting</c> settings) for Prometheus, Alertmanager and Grafana
/// run by hand or by a service manager. Settings come from appsettings.json, the environment and
/// <c>--Section:Key=value</c> arguments, in that order.
/// </summary>
public static class RenderCommand
{
    /// <summary>Bad arguments or settings, or an output folder that cannot be written.</summary>
    public const int ErrorExitCode = 2;

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
            return ErrorExitCode;
        }

        string? outputDirectory = null;
        string? version = null;
        string? configDirectory = null;
        var settings = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            // --name VALUE and --name=VALUE alike.
            var (name, inline) = args[i].Split('=', 2) is [var head, var tail] && !head.Contains(':', StringComparison.Ordinal) ? (head, tail) : (args[i], null);
            string? Value() => inline ?? (i + 1 < args.Length ? args[++i] : null);
            switch (name)
            {
                case "--output":
                    outputDirectory = Value();
                    break;
                case "--alertmanager-version":
                    version = Value();
                    break;
                case "--alertmanager-config-dir":
                    configDirectory = Value();
                    break;
                default:
                    if (!args[i].StartsWith("--", StringComparison.Ordinal) || !args[i].Contains('=', StringComparison.Ordinal))
                    {
                        await error.WriteLineAsync($"Unknown argument {args[i]}\n{Usage}").ConfigureAwait(false);
                        return ErrorExitCode;
                    }

                    settings.Add(args[i]);
                    break;
            }
        }

        if (outputDirectory is null)
        {
            await error.WriteLineAsync($"--output is required\n{Usage}").ConfigureAwait(false);
            return ErrorExitCode;
        }

        var alertmanagerVersion = version is null ? await AlertmanagerVersion.InstalledAsync().ConfigureAwait(false) ?? AlertmanagerTarget.Debian12 : AlertmanagerVersion.Parse(version);
        if (alertmanagerVersion is null)
        {
            await error.WriteLineAsync($"--alertmanager-version must be a version such as 0.25.0 (got \"{version}\")").ConfigureAwait(false);
            return ErrorExitCode;
        }

        // A misspelt key is an error, as in the probe's settings, not a receiver silently left off.
        var (alerting, problems) = StackSettings.Bind<AlertingOptions>(StackSettings.Build(settings), AlertingOptions.Section);
        if (alerting is null)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"Invalid configuration: {problem}").ConfigureAwait(false);
            }

            return ErrorExitCode;
        }

        var fullOutput = Path.GetFullPath(outputDirectory);
        var source = Path.GetFullPath(ObservabilityRenderer.SourceDirectory);
        if (fullOutput == source || fullOutput.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"--output must be outside {source}, which it is rendered from").ConfigureAwait(false);
            return ErrorExitCode;
        }

        var target = new AlertmanagerTarget(alertmanagerVersion, configDirectory ?? Path.Combine(fullOutput, "alertmanager"));
        IReadOnlyList<string> errors;
        try
        {
            errors = ObservabilityRenderer.Render(source, fullOutput, alerting, target, SecretReader.FromProcess);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot write {fullOutput}: {exception.Message}").ConfigureAwait(false);
            return ErrorExitCode;
        }

        foreach (var problem in errors)
        {
            await error.WriteLineAsync($"Invalid configuration: {problem}").ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            return ErrorExitCode;
        }

        await output.WriteLineAsync($"Rendered {fullOutput} for Alertmanager {alertmanagerVersion.ToString(3)}").ConfigureAwait(false);
        return 0;
    }
}
