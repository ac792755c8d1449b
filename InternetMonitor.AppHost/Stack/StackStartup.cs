using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Probe;
using InternetMonitor.AppHost.Rendering;

namespace InternetMonitor.AppHost.Stack;

/// <summary>What runs before the stack starts: the probe's settings check, and the configuration rendered for this run.</summary>
public static class StackStartup
{
    /// <summary>True, with one line per problem on <paramref name="error"/>, when the stack must not start.</summary>
    public static async Task<bool> RefusedAsync(IDistributedApplicationBuilder builder, StackContext stack, IResource prometheus, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(error);
        if (await ProbeSettingsCheck.RunAsync(builder.Configuration, stack.Options, CancellationToken.None).ConfigureAwait(false) is { } refusal)
        {
            await error.WriteLineAsync(refusal).ConfigureAwait(false);
            return true;
        }

        IReadOnlyList<string> problems;
        try
        {
            Directory.CreateDirectory(stack.Layout.StateDirectory);
            var version = stack.Layout.InContainers
                ? AlertmanagerVersion.Parse(AlertmanagerImageTags.Tag)!
                : await AlertmanagerVersion.InstalledAsync().ConfigureAwait(false) ?? AlertmanagerTarget.Debian12;
            var target = new AlertmanagerTarget(version, stack.Layout.Config("alertmanager"));
            problems = await StackRendering.RenderAsync(builder.Resources, stack, prometheus, target).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problems = [$"Cannot write the state folder {stack.Layout.StateDirectory}: {exception.Message}"];
        }

        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem.StartsWith("Cannot", StringComparison.Ordinal) ? problem : $"Invalid configuration: {problem}").ConfigureAwait(false);
        }

        if (problems.Count > 0)
        {
            return true;
        }

        foreach (var missing in stack.Missing)
        {
            await error.WriteLineAsync(missing).ConfigureAwait(false);
        }

        return false;
    }
}
