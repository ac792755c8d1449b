using System.Globalization;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Rendering;

/// <summary>
/// Process mode's configuration: observability/ rendered into the state directory (Alertmanager's receivers, the alert
/// log at the probe), and Prometheus' targets files pointed at the resources that are available, one file per job; a
/// job whose resource is missing gets an empty file, so that it has no target and raises no alert.
/// </summary>
public static class StackRendering
{
    public const string ProbeJob = "internet-monitor";

    /// <summary>Renders for <paramref name="model"/>; the alert log is the probe's, the resource Prometheus scrapes as <c>internet-monitor</c>.</summary>
    public static async Task<IReadOnlyList<string>> RenderAsync(StackModel model, ResourceContext context, AlertingOptions settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var probe = model.Resources.Single(resource => resource.ScrapeJob == ProbeJob);
        var alerting = settings.With(new Uri(context.Url(probe), "/api/alerts"));
        var version = await AlertmanagerVersion.InstalledAsync().ConfigureAwait(false) ?? AlertmanagerTarget.Debian12;
        var output = Path.Combine(context.StateDirectory, "observability");
        var errors = ObservabilityRenderer.Render(
            ObservabilityRenderer.SourceDirectory, output, alerting, new AlertmanagerTarget(version, Path.Combine(output, "alertmanager")), SecretReader.FromProcess);
        if (errors.Count > 0)
        {
            return errors;
        }

        foreach (var resource in model.Resources.Where(resource => resource.ScrapeJob is not null))
        {
            var file = context.Config(Path.Combine("prometheus", "targets", resource.ScrapeJob + ".yml"));
            var text = context.IsAvailable(resource) && resource.Http is { } http
                ? string.Create(CultureInfo.InvariantCulture, $"# Process mode: rendered by the AppHost.\n- targets: [\"{context.Address(http.Port)}\"]\n")
                : "# Process mode: rendered by the AppHost; not running here, so no target.\n[]\n";
            await File.WriteAllTextAsync(file, text).ConfigureAwait(false);
        }

        return [];
    }
}
