using System.CommandLine;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.CommandLine;

namespace InternetMonitor.AppHost.Rendering;

/// <summary>
/// <c>render --output DIR</c> writes the stack's configuration (observability/, with
/// Alertmanager's receivers rendered from the <c>Alerting</c> settings, Prometheus' site and remote write from <c>Stack</c>) for Prometheus, Alertmanager and Grafana
/// run by hand or by a service manager. Settings come from appsettings.json, the environment and
/// <c>--Section:Key=value</c> arguments, in that order.
/// </summary>
public static class RenderCommand
{
    /// <summary>Bad arguments or settings, or an output folder that cannot be written.</summary>
    public const int ErrorExitCode = 2;

    /// <summary>The <c>render</c> command, taking the AppHost's settings (<paramref name="scope"/>).</summary>
    internal static SettingsCommand Create(SettingsScope scope)
    {
        var output = new Option<string>("--output") { Description = "Where the rendered observability/ folder is written", HelpName = "DIR" }.GivenLastWins();
        var version = new Option<string>("--alertmanager-version")
        {
            Description = "The Alertmanager that will read it; default: the one on PATH, else 0.25.0",
            HelpName = "X.Y.Z",
        }.GivenLastWins();
        var configDirectory = new Option<string>("--alertmanager-config-dir")
        {
            Description = "Where that Alertmanager finds DIR/alertmanager; default: its absolute path here",
            HelpName = "PATH",
        }.GivenLastWins();
        var render = new SettingsCommand("render", "Writes the stack's configuration (observability/, with Alertmanager's receivers rendered from the Alerting settings) for Prometheus, Alertmanager and Grafana run by hand or by a service manager, and exits.", scope)
        {
            Notes = "Exit codes: 0 written, 2 bad arguments or settings, or an output folder that cannot be written.",
        };
        var role = StackCommandLine.RoleOption();
        render.Add(output);
        render.Add(version);
        render.Add(configDirectory);
        render.Add(role);
        render.Validators.Add(result =>
        {
            if (result.GetResult(output) is null)
            {
                result.AddError("render needs --output DIR, where the rendered observability/ folder is written");
            }
        });
        render.SetAction((result, settings, _) => RunAsync(
            result.GetRequiredValue(output), result.GetValue(version), result.GetValue(configDirectory), StackCommandLine.Role(result.GetValue(role)), settings,
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return render;
    }

    private static async Task<int> RunAsync(string outputDirectory, string? version, string? configDirectory, StackRole role, IReadOnlyList<string> settings, TextWriter output, TextWriter error)
    {
        var alertmanagerVersion = version is null ? await AlertmanagerVersion.InstalledAsync().ConfigureAwait(false) ?? AlertmanagerTarget.Debian12 : AlertmanagerVersion.Parse(version);
        if (alertmanagerVersion is null)
        {
            await error.WriteLineAsync($"--alertmanager-version must be a version such as 0.25.0 (got \"{version}\")").ConfigureAwait(false);
            return ErrorExitCode;
        }

        // A misspelt key is an error, as in the probe's settings, not a receiver silently left off.
        var configuration = StackSettings.Build(settings);
        var (alerting, alertingProblems) = StackSettings.Bind<AlertingOptions>(configuration, AlertingOptions.Section);
        var (stack, stackProblems) = StackSettings.Bind<StackOptions>(configuration, StackOptions.Section);
        var (central, centralProblems) = StackSettings.Bind<CentralOptions>(configuration, CentralOptions.Section);
        var problems = alertingProblems.Concat(stackProblems).Concat(centralProblems).ToList();
        if (alerting is null || stack is null || central is null)
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
            errors = role == StackRole.Central
                ? ObservabilityRenderer.RenderCentral(source, fullOutput, central, stack, alerting, target, SecretReader.FromProcess)
                : ObservabilityRenderer.Render(source, fullOutput, alerting, target, SecretReader.FromProcess, stack: stack);
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

        await output.WriteLineAsync(role == StackRole.Central
            ? $"Rendered {fullOutput} for Alertmanager {alertmanagerVersion.ToString(3)}, the central machine: store {central.Store}, sites {string.Join(", ", central.Sites.Keys.Order(StringComparer.Ordinal))}"
            : $"Rendered {fullOutput} for Alertmanager {alertmanagerVersion.ToString(3)}, site {stack.Site}").ConfigureAwait(false);
        return 0;
    }
}
