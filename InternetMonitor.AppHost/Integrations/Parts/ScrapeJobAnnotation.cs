using Aspire.Hosting.ApplicationModel;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>The Prometheus job that scrapes the resource's <c>http</c> endpoint (observability/prometheus/targets/JOB.yml).</summary>
public sealed class ScrapeJobAnnotation(string job) : IResourceAnnotation
{
    public string Job { get; } = job;
}
