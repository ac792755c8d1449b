using System.Globalization;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Rendering;

/// <summary>
/// The stack's configuration for a run or a compose project: observability/ rendered into the state directory or the
/// published folder (Alertmanager's receivers, the alert log at the probe), and Prometheus' targets files pointed at
/// the resources that are available, one file per job; a job whose resource is missing (or whose compose profile is
/// off) gets an empty file, so that it has no target and raises no alert.
/// </summary>
public static class StackRendering
{
    public const string ProbeJob = "internet-monitor";

    /// <summary>
    /// Renders for <paramref name="model"/>; the alert log is the probe's, the resource Prometheus scrapes as
    /// <c>internet-monitor</c>. The Alertmanager is <paramref name="alertmanager"/>, else the one on PATH.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RenderAsync(StackModel model, ResourceContext context, AlertingOptions settings, AlertmanagerTarget? alertmanager = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var probe = model.Resources.Single(resource => resource.ScrapeJob == ProbeJob);
        var alerting = settings.With(new Uri(context.Url(probe), "/api/alerts"));
        var output = Path.Combine(context.StateDirectory, "observability");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true); // rendered whole each time: a file this version dropped is not loaded still
        }

        if (alertmanager is null)
        {
            var version = await AlertmanagerVersion.InstalledAsync().ConfigureAwait(false) ?? AlertmanagerTarget.Debian12;
            alertmanager = new AlertmanagerTarget(version, Path.Combine(output, "alertmanager"));
        }

        var errors = ObservabilityRenderer.Render(
            ObservabilityRenderer.SourceDirectory, output, alerting, alertmanager, SecretReader.FromProcess, forContainers: context.Containers is not null);
        if (errors.Count > 0)
        {
            return errors;
        }

        foreach (var resource in model.Resources.Where(resource => resource.ScrapeJob is not null))
        {
            var file = Path.Combine(output, "prometheus", "targets", resource.ScrapeJob + ".yml");
            var text = context.IsAvailable(resource) && resource.Http is { } http
                ? string.Create(CultureInfo.InvariantCulture, $"# Rendered by the AppHost.\n- targets: [\"{Endpoint.Address(context.Host, http.Port)}\"]\n")
                : "# Rendered by the AppHost; not running here, so no target.\n[]\n";
            await File.WriteAllTextAsync(file, text).ConfigureAwait(false);
        }

        return [];
    }
}
