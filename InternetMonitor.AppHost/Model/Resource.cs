namespace InternetMonitor.AppHost.Model;

/// <summary>
/// One part of the stack: how it is found (a project of this solution, or a program under any of several names), the
/// endpoints it listens on, how its health is read, what it waits for and which other resources' addresses it is
/// given. Arguments and environment are computed when it starts, from the run's <see cref="ResourceContext"/>.
/// </summary>
public sealed class Resource(string name, ResourceKind kind)
{
    public string Name { get; } = name;

    public ResourceKind Kind { get; } = kind;

    /// <summary>Names the program may have on PATH, in order (Debian's first, then upstream's); for a project, its .dll.</summary>
    public List<string> Programs { get; } = [];

    /// <summary>The Debian package that provides it, said when it is missing; empty when there is none.</summary>
    public string Package { get; set; } = string.Empty;

    public List<Endpoint> Endpoints { get; } = [];

    /// <summary>The path that answers 200 once it is ready, on its <c>http</c> endpoint; null: ready once started.</summary>
    public string? HealthPath { get; set; }

    /// <summary>Started only once these are healthy (or missing).</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Their endpoints reach this resource as <c>services__NAME__ENDPOINT__0</c> variables.</summary>
    public List<Resource> References { get; } = [];

    public List<Func<ResourceContext, IEnumerable<string>>> Arguments { get; } = [];

    public List<Func<ResourceContext, IEnumerable<KeyValuePair<string, string>>>> Environment { get; } = [];

    /// <summary>
    /// Arguments that make its program check the settings it would start with and exit (0 valid, else a message on
    /// standard error), run before the stack starts; null when it has no such check.
    /// </summary>
    public Func<ResourceContext, IEnumerable<string>>? SettingsCheck { get; set; }

    /// <summary>The Prometheus job that scrapes it (observability/prometheus/targets/JOB.yml), or null.</summary>
    public string? ScrapeJob { get; set; }

    /// <summary>How it runs in container mode and in the published compose project; null when it has no container.</summary>
    public ContainerSpec? Container { get; set; }

    public Endpoint? Http => Endpoints.FirstOrDefault(endpoint => endpoint.Name == "http");

    public override string ToString() => Name;
}
