namespace InternetMonitor.AppHost.Integrations.Parts;

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
