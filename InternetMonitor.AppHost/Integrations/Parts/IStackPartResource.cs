using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>
/// An observability part of the stack (Prometheus, Alertmanager, ...), whether Aspire runs it as a program of this host
/// (<see cref="HostProgramResource"/>) or as a container (<see cref="PartContainerResource"/>): Aspire starts executables
/// and containers by their resource type, so each part is declared as one or the other and reached through this.
/// </summary>
public interface IStackPartResource : IResourceWithEnvironment, IResourceWithArgs, IResourceWithEndpoints, IResourceWithWaitSupport, IResourceWithServiceDiscovery;
