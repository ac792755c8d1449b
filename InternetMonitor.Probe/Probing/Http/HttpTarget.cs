namespace InternetMonitor.Probe.Probing.Http;

/// <param name="Name">The <c>target</c> label: the configured name, never the URL.</param>
/// <param name="Uri"></param>
/// <param name="AllowInvalidCertificate"></param>
/// <param name="ExpectedStatus">Codes that count as success; empty for any 2xx or 3xx.</param>
/// <param name="CaFile">A PEM file of the authorities to trust for this target instead of the system's; null for the system's.</param>
public sealed record HttpTarget(string Name, Uri Uri, bool AllowInvalidCertificate, IReadOnlyList<int> ExpectedStatus, string? CaFile = null)
{
    public bool IsExpected(int status) => ExpectedStatus.Count == 0 ? status is >= 200 and < 400 : ExpectedStatus.Contains(status);
}
