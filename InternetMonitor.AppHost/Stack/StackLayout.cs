using System.Globalization;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;

namespace InternetMonitor.AppHost.Stack;

/// <summary>Where the stack's parts run: which paths and addresses their arguments and environment are computed for.</summary>
public enum StackRun
{
    /// <summary>Programs of this host (and the probe): paths under the state folder, addresses on this host.</summary>
    Processes,

    /// <summary>Containers under Aspire, the probe a process of this host: paths inside the containers.</summary>
    Containers,

    /// <summary>The published compose project: paths inside the containers, every part on the host's network.</summary>
    Compose,
}

/// <summary>
/// The paths and addresses of one run (or of the compose project), from which every part's arguments and environment
/// are computed, so that one declaration serves processes, containers and the published project.
/// </summary>
public sealed class StackLayout(StackRun run, StackOptions options)
{
    /// <summary>Where containers find the rendered observability/.</summary>
    public const string ConfigRoot = "/etc/internet-monitor";

    /// <summary>The compose project's listen address, a variable of its .env.</summary>
    public const string ComposeListenAddress = "${LISTEN_ADDRESS:?set LISTEN_ADDRESS in .env}";

    /// <summary>How a container reaches a process of this host (with <c>--add-host=host.docker.internal:host-gateway</c>).</summary>
    public const string ContainerHostGateway = "host.docker.internal";

    public StackRun Run { get; } = run;

    public StackOptions Options { get; } = options;

    public bool InContainers => Run != StackRun.Processes;

    /// <summary>The run's state folder: rendered configuration (observability/) and each program's data (data/NAME).</summary>
    public string StateDirectory { get; } = Path.GetFullPath(options.StateDirectory);

    /// <summary>Where the configuration is rendered: the state folder's observability/, or the published project's.</summary>
    public string ObservabilityDirectory { get; set; } = Path.Combine(Path.GetFullPath(options.StateDirectory), "observability");

    /// <summary>The address the parts listen on.</summary>
    public string ListenHost => Run switch
    {
        StackRun.Processes => Options.ListenAddress,
        StackRun.Containers => "0.0.0.0", // inside the container; the port is published on the host
        _ => ComposeListenAddress,
    };

    /// <summary>In container mode, this host's address where the containers reach its processes (<see cref="EngineGateway"/>).</summary>
    public string? HostGateway { get; init; }

    /// <summary>
    /// The address the parts reach each other at on this host (a process, or a container's published port): the
    /// listen address, or loopback when it is any.
    /// </summary>
    public string LocalHost => Run != StackRun.Compose && !IsAny(Options.ListenAddress) ? Options.ListenAddress : "127.0.0.1";

    /// <summary>
    /// The addresses a process of this host (the probe) listens on: the listen address; in container mode also the
    /// engine's host gateway, where the containers reach it, unless the listen address is any (which holds it already).
    /// </summary>
    public IReadOnlyList<string> ProcessHosts => Run switch
    {
        StackRun.Containers when HostGateway is { } gateway && !IsAny(Options.ListenAddress) && gateway != Options.ListenAddress => [Options.ListenAddress, gateway],
        StackRun.Containers => [Options.ListenAddress],
        _ => [ListenHost],
    };

    /// <summary><c>host:port</c> on the listen address, for a listen flag.</summary>
    public string Address(int port) => HostPort(ListenHost, port);

    /// <summary>The URLs a process of this host listens on (<see cref="ProcessHosts"/>), separated by semicolons as ASP.NET Core's <c>Urls</c> takes them.</summary>
    public string ProcessUrls(int port) => string.Join(';', ProcessHosts.Select(host => $"http://{HostPort(host, port)}"));

    /// <summary>A file or folder of the rendered configuration, as the part reading it sees it.</summary>
    public string Config(string relative) => InContainers
        ? $"{ConfigRoot}/{relative.Replace('\\', '/')}"
        : Path.Combine(ObservabilityDirectory, relative);

    /// <summary>The rendered files of a secrets folder, relative to observability/ and in order; none when it was not rendered (or <paramref name="folder"/> is null).</summary>
    public IReadOnlyList<string> SecretFiles(string? folder)
    {
        var path = folder is null ? null : Path.Combine(ObservabilityDirectory, folder);
        return path is not null && Directory.Exists(path)
            ? [.. Directory.GetFiles(path).Select(file => folder + "/" + Path.GetFileName(file)).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The part's data folder: under the state folder (created), or its volume inside its container.</summary>
    public string DataDirectory(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (InContainers)
        {
            return resource.Annotations.OfType<ComposeServiceAnnotation>().SingleOrDefault()?.DataPath
                ?? throw new InvalidOperationException($"{resource.Name} has no data volume (declare one with WithDataVolume)");
        }

        var path = Path.Combine(StateDirectory, "data", resource.Name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The compose profiles switched on (Stack:Profiles).</summary>
    public IReadOnlySet<string> Profiles { get; } = options.Profiles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="resource"/> runs: installed here, or in the compose project with its profile on.</summary>
    public bool IsRunning(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Run == StackRun.Compose
            ? resource.Annotations.OfType<ComposeServiceAnnotation>().SingleOrDefault()?.Profile is not { } profile || Profiles.Contains(profile)
            : resource.IsPresent();
    }

    /// <summary>The URL of <paramref name="to"/>'s endpoint as <paramref name="from"/> reaches it.</summary>
    public Uri Url(IResource from, IResource to, string endpoint = "http")
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var port = Port(to, endpoint);
        var host = Run switch
        {
            // Containers on Aspire's network reach each other by name, and this host's processes through its gateway.
            StackRun.Containers when from is ContainerResource => to is ContainerResource ? to.Name : ContainerHostGateway,
            StackRun.Compose => "127.0.0.1",
            _ => LocalHost,
        };
        return new Uri($"http://{HostPort(host, port)}/");
    }

    /// <summary>The fixed port of <paramref name="resource"/>'s endpoint (the stack's endpoints are not proxied).</summary>
    public static int Port(IResource resource, string endpoint = "http")
    {
        ArgumentNullException.ThrowIfNull(resource);
        var annotation = resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(candidate => candidate.Name == endpoint)
            ?? throw new InvalidOperationException($"{resource.Name} has no {endpoint} endpoint");
        return annotation.Port ?? annotation.TargetPort ?? throw new InvalidOperationException($"{resource.Name}'s {endpoint} endpoint has no fixed port");
    }

    private static bool IsAny(string address) =>
        !IPAddress.TryParse(address, out var parsed) || parsed.Equals(IPAddress.Any) || parsed.Equals(IPAddress.IPv6Any);

    /// <summary><c>host:port</c>, an IPv6 address in brackets; a compose variable (<c>${...}</c>) as it is.</summary>
    public static string HostPort(string host, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') && !host.StartsWith('$') ? $"[{host}]" : host)}:{port}");
}
