namespace InternetMonitor.AppHost.Model;

/// <summary>What a resource's arguments and environment are computed from when it starts.</summary>
/// <param name="StateDirectory">Where the run keeps rendered configuration and data, one folder per resource.</param>
/// <param name="Host">The address the stack listens on and its parts reach each other at.</param>
/// <param name="IsAvailable">Whether a resource was found (a reference to a missing one is left out).</param>
public sealed record ResourceContext(string StateDirectory, string Host, Func<Resource, bool> IsAvailable)
{
    /// <summary>The resource's own folder under the state directory (created).</summary>
    public string DataDirectory(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return DataDirectory(resource.Name);
    }

    /// <summary>The folder of the resource named <paramref name="name"/> (created).</summary>
    public string DataDirectory(string name)
    {
        var path = Path.Combine(StateDirectory, "data", name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary><c>host:port</c> on the stack's address, for a listen flag.</summary>
    public string Address(int port) => Endpoint.Address(Host, port);

    /// <summary>A file of the configuration rendered for this run (observability/ under the state directory).</summary>
    public string Config(string relative) => Path.Combine(StateDirectory, "observability", relative);

    public Uri Url(Resource resource, string endpoint = "http")
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Endpoints.Single(candidate => candidate.Name == endpoint).Url(Host);
    }
}
