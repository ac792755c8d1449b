namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>
/// A rendered Alertmanager configuration: the YAML, the secret files it names (relative to the configuration
/// folder, written with owner-only permissions), the receivers switched on, or the errors that stopped it.
/// <see cref="HoldsSecret"/> says the YAML itself holds one (an Alertmanager too old to read it from a file), so
/// that it is written with owner-only permissions as well.
/// </summary>
public sealed record AlertmanagerRendering(
    string Yaml,
    bool HoldsSecret,
    IReadOnlyDictionary<string, string> SecretFiles,
    IReadOnlyList<string> Integrations,
    IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
