using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Parts;
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
                ? ImageVersion(builder.Resources) ?? AlertmanagerVersion.Parse(AlertmanagerImageTags.Tag)!
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

        if (stack.Layout.Run == StackRun.Containers)
        {
            MountSecrets(builder.Resources, stack.Layout);
        }

        foreach (var missing in stack.Missing)
        {
            await error.WriteLineAsync(missing).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>The version in the tag of the image Alertmanager runs (ALERTMANAGER_IMAGE may name another); null when its tag is not one (latest, a local name, a digest).</summary>
    private static Version? ImageVersion(IEnumerable<IResource> resources) =>
        AlertLogAnnotation.Sender(resources)?.Annotations.OfType<ContainerImageAnnotation>().SingleOrDefault() is { Tag: { } tag }
            ? AlertmanagerVersion.Parse(tag)
            : null;

    /// <summary>Each rendered secret file mounted alone into its part's container (<see cref="ComposeServiceAnnotation.SecretsFolder"/>): the folder is owner-only on this host.</summary>
    private static void MountSecrets(IEnumerable<IResource> resources, StackLayout layout)
    {
        foreach (var container in resources.OfType<ContainerResource>())
        {
            foreach (var file in layout.SecretFiles(container.Annotations.OfType<ComposeServiceAnnotation>().SingleOrDefault()?.SecretsFolder))
            {
                container.Annotations.Add(new ContainerMountAnnotation(Path.Combine(layout.ObservabilityDirectory, file), layout.Config(file), ContainerMountType.BindMount, isReadOnly: true));
            }
        }
    }
}
