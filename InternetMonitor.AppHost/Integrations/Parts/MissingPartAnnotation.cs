using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>Marks a part whose program is not on this host: it is left out of the model, and waits and references on it are dropped.</summary>
public sealed class MissingPartAnnotation(string message) : IResourceAnnotation
{
    /// <summary>The one line said about it: the programs looked for and the package that provides them.</summary>
    public string Message { get; } = message;
}
