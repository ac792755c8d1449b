using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Rendering;

/// <summary>
/// The stack's configuration for a run or a compose project: observability/ rendered into the layout's folder
/// (Alertmanager's receivers, the alert log at the probe), and Prometheus' targets files pointed at the parts that run,
/// one file per job, as Prometheus reaches them; a job whose part does not run (not installed, or its compose profile
/// off) gets an empty file, so that it has no target and raises no alert.
/// </summary>
public static class StackRendering
{
    /// <summary>The central machine's configuration (<c>publish --role central</c>), for its compose project.</summary>
    public static IReadOnlyList<string> RenderCentral(StackContext stack, AlertmanagerTarget alertmanager)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var output = stack.Layout.ObservabilityDirectory;
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        return ObservabilityRenderer.RenderCentral(ObservabilityRenderer.SourceDirectory, output, stack.Central, stack.Options, stack.Alerting, alertmanager, SecretReader.FromProcess, forContainers: true);
    }

    /// <summary>Renders for the parts in <paramref name="resources"/>, targets as <paramref name="prometheus"/> reaches them.</summary>
    public static async Task<IReadOnlyList<string>> RenderAsync(IEnumerable<IResource> resources, StackContext stack, IResource prometheus, AlertmanagerTarget alertmanager)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(prometheus);
        ArgumentNullException.ThrowIfNull(alertmanager);
        var layout = stack.Layout;
        var all = resources.ToList();
        var alerting = stack.Alerting;
        if (AlertLogAnnotation.Sender(all) is { } receiver)
        {
            var probe = receiver.Annotations.OfType<AlertLogAnnotation>().Single().Probe;
            alerting = alerting.With(new Uri(layout.Url(receiver, probe), "/api/alerts"));
        }

        var output = layout.ObservabilityDirectory;
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true); // rendered whole each time: a file this version dropped is not loaded still
        }

        var errors = ObservabilityRenderer.Render(
            ObservabilityRenderer.SourceDirectory, output, alerting, alertmanager, SecretReader.FromProcess.With(stack.AlertLogToken), forContainers: layout.InContainers, stack: stack.Options);
        if (errors.Count > 0)
        {
            return errors;
        }

        var targets = Path.Combine(output, "prometheus", "targets");
        var jobs = Directory.GetFiles(targets, "*.yml").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .ToDictionary(job => job, _ => (IResource?)null, StringComparer.Ordinal);
        foreach (var resource in all)
        {
            foreach (var job in resource.Annotations.OfType<ScrapeJobAnnotation>())
            {
                jobs[job.Job] = layout.IsRunning(resource) ? resource : jobs.GetValueOrDefault(job.Job);
            }
        }

        foreach (var (job, resource) in jobs)
        {
            var text = resource is null
                ? "# Rendered by the AppHost; not running here, so no target.\n[]\n"
                : $"# Rendered by the AppHost.\n- targets: [\"{layout.Url(prometheus, resource).Authority}\"]\n";
            await File.WriteAllTextAsync(Path.Combine(targets, job + ".yml"), text).ConfigureAwait(false);
        }

        // cAdvisor's job reads a file the shipped folder lacks: written empty when it does not run.
        if (!jobs.ContainsKey("cadvisor"))
        {
            await File.WriteAllTextAsync(Path.Combine(targets, "cadvisor.yml"), "# Rendered by the AppHost; not running here, so no target.\n[]\n").ConfigureAwait(false);
        }

        return [];
    }
}
