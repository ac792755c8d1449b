namespace InternetMonitor.AppHost.Integrations.Prometheus;

/// <summary>
/// A rendered Prometheus configuration: the YAML, the files it names (relative to observability/: the remote write's
/// credentials and CA certificate, written with owner-only permissions), or the errors that stopped it.
/// </summary>
public sealed record PrometheusRendering(string Yaml, IReadOnlyDictionary<string, string> SecretFiles, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
