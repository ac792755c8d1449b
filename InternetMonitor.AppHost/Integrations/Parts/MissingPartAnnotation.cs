using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>
/// Marks a part that does not run here (its program is not on this host, or Stack:Profiles switches it off): it is
/// left out of the model, and waits and references on it are dropped.
/// </summary>
public sealed class MissingPartAnnotation(string message) : IResourceAnnotation
{
    /// <summary>The one line said about it: the programs looked for and the package that provides them, or that it is switched off.</summary>
    public string Message { get; } = message;
}
