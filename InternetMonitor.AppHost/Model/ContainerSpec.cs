namespace InternetMonitor.AppHost.Model;

/// <summary>
/// How a resource runs as a container, in the shape of Aspire's container resources: the upstream image pinned by
/// version (its name and tag come from <see cref="ImageVariable"/> in the compose project's .env, so that a copy can be
/// swapped in), or a build context for a project of this solution; where its data lives (a named volume), which parts of
/// the rendered configuration it reads (mounted read-only), how its health is checked inside the container, and
/// whatever else its compose service needs (<see cref="Customize"/>).
/// </summary>
public sealed class ContainerSpec(string image, string tag)
{
    public string Image { get; } = image;

    public string Tag { get; } = tag;

    /// <summary>The .env variable naming the image, e.g. PROMETHEUS_IMAGE.</summary>
    public required string ImageVariable { get; init; }

    public string Reference => $"{Image}:{Tag}";

    /// <summary>The build context's folder in the published project (for a project resource); null for an upstream image.</summary>
    public string? BuildContext { get; set; }

    /// <summary>The compose profile that switches it on, for a part that is optional; null when it always runs.</summary>
    public string? Profile { get; set; }

    /// <summary>Where its data is kept inside the container: a named volume <c>NAME-data</c> is mounted there.</summary>
    public string? DataPath { get; set; }

    /// <summary>Files or folders of the rendered observability/ it reads, relative to it, each mounted read-only.</summary>
    public List<string> Config { get; } = [];

    /// <summary>How the container checks its own health (a program its image holds).</summary>
    public ContainerHealthCheck HealthCheck { get; set; } = ContainerHealthCheck.Wget;

    /// <summary>Changes to its compose service after everything above is applied (host mounts, privileges, users).</summary>
    public List<Action<Publishing.ComposeService>> Customize { get; } = [];
}

/// <summary>The program a container's health check runs; upstream images hold different ones.</summary>
public enum ContainerHealthCheck
{
    /// <summary><c>wget</c> of the health path (busybox or GNU wget: Prometheus', Alertmanager's, node-exporter's, Grafana's and cAdvisor's images).</summary>
    Wget,

    /// <summary>An HTTP request through bash's /dev/tcp (images with bash and no HTTP client: the .NET runtime images).</summary>
    Bash,

    /// <summary>None: the image holds no program to run one (a distroless image).</summary>
    None,
}
