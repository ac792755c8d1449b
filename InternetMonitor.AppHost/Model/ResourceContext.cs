namespace InternetMonitor.AppHost.Model;

/// <summary>What a resource's arguments and environment are computed from when it starts, or when it is published.</summary>
/// <param name="StateDirectory">Where the run keeps rendered configuration and data, one folder per resource.</param>
/// <param name="Host">The address the stack's parts reach each other at.</param>
/// <param name="IsAvailable">Whether a resource was found (a reference to a missing one is left out).</param>
public sealed record ResourceContext(string StateDirectory, string Host, Func<Resource, bool> IsAvailable)
{
    /// <summary>Set for a compose project: paths are those inside the containers, and the listen address is a variable of its .env.</summary>
    public ContainerLayout? Containers { get; init; }

    /// <summary>The address the parts listen on: <see cref="Host"/> for processes, the .env variable LISTEN_ADDRESS in a compose project.</summary>
    public string ListenHost => Containers is null ? Host : ContainerLayout.ListenAddress;

    /// <summary>The resource's own folder under the state directory (created), or its volume inside its container.</summary>
    public string DataDirectory(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return DataDirectory(resource.Name);
    }

    /// <summary>The folder of the resource named <paramref name="name"/> (created), or its volume inside its container.</summary>
    public string DataDirectory(string name)
    {
        if (Containers is not null)
        {
            return Containers.DataPath(name);
        }

        var path = Path.Combine(StateDirectory, "data", name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary><c>host:port</c> on the stack's listen address, for a listen flag.</summary>
    public string Address(int port) => Endpoint.Address(ListenHost, port);

    /// <summary>A file of the configuration rendered for this run (observability/ under the state directory, or where containers mount it).</summary>
    public string Config(string relative) => Containers is null
        ? Path.Combine(StateDirectory, "observability", relative)
        : $"{ContainerLayout.ConfigRoot}/{relative.Replace('\\', '/')}";

    /// <summary>Where a project resource's build output is: beside its assembly here, /app in its image.</summary>
    public string ProjectDirectory(string assembly) => Containers is null ? Path.GetDirectoryName(assembly)! : ContainerLayout.AppDirectory;

    public Uri Url(Resource resource, string endpoint = "http")
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Endpoints.Single(candidate => candidate.Name == endpoint).Url(Host);
    }
}

/// <summary>
/// Where things are inside the compose project's containers. Every part shares the host's network (so that the probe
/// measures the host's own connection and every part reaches the others on 127.0.0.1), listens on the .env's
/// <c>LISTEN_ADDRESS</c>, reads its configuration under <see cref="ConfigRoot"/> and keeps its data in its volume.
/// </summary>
public sealed class ContainerLayout(IReadOnlyDictionary<string, string> dataPaths)
{
    public const string ConfigRoot = "/etc/internet-monitor";
    public const string AppDirectory = "/app";
    public const string ListenAddress = "${LISTEN_ADDRESS:?set LISTEN_ADDRESS in .env}";

    public string DataPath(string name) => dataPaths.TryGetValue(name, out var path)
        ? path
        : throw new InvalidOperationException($"{name} has no data volume in the compose project (declare one with WithDataVolume)");
}
