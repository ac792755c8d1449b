using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>A part run as the program found on this host's PATH (Debian's package, or upstream's release).</summary>
public sealed class HostProgramResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IStackPartResource;
