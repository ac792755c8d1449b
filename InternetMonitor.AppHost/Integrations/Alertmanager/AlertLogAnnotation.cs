using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>The resource whose <c>/api/alerts</c> receives every notification (the probe's alert log).</summary>
public sealed class AlertLogAnnotation(IResource probe) : IResourceAnnotation
{
    public IResource Probe { get; } = probe;
}
