namespace InternetMonitor.Probe.Probing.Http;

/// <summary>One entry of <c>Monitor:Http:Targets</c>.</summary>
public sealed class HttpTargetOptions
{
    public string Url { get; set; } = string.Empty;

    /// <summary>Accept any certificate (a self-signed router page): the TLS phase is still timed.</summary>
    public bool AllowInvalidCertificate { get; set; }

    /// <summary>A PEM file of the certificate authorities to trust for this target instead of the system's (a router or a lab with a CA of its own).</summary>
    public string? CaFile { get; set; }

    /// <summary>Status codes that count as success. Empty: any 2xx or 3xx.</summary>
    public List<int> ExpectedStatus { get; set; } = [];
}
