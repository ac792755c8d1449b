using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>The resource whose <c>/api/alerts</c> receives every notification (the probe's alert log).</summary>
public sealed class AlertLogAnnotation(IResource probe) : IResourceAnnotation
{
    public IResource Probe { get; } = probe;

    /// <summary>The resource that sends to the alert log (Alertmanager), or null when the model has none.</summary>
    public static IResource? Sender(IEnumerable<IResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return resources.FirstOrDefault(resource => resource.Annotations.OfType<AlertLogAnnotation>().Any());
    }
}
