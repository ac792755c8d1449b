using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>A part run as its upstream image, pinned (the image comes from its <see cref="ContainerImageAnnotation"/>).</summary>
public sealed class PartContainerResource(string name) : ContainerResource(name), IStackPartResource;
