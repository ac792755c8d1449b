namespace InternetMonitor.Probe.Targets;

/// <summary>Bound from <c>Monitor:Targets</c>.</summary>
public sealed class TargetOptions
{
    public const string Section = "Targets";

    /// <summary>Name (the <c>target</c> label) to IP address. Empty: <see cref="DefaultIPv4"/>, plus
    /// <see cref="DefaultIPv6"/> when the host has an IPv6 default route.</summary>
    public Dictionary<string, string> Public { get; set; } = new(StringComparer.Ordinal);

    /// <summary>"auto" (read the default route), "none", or an IP address.</summary>
    public string Gateway { get; set; } = "auto";

    public static IReadOnlyDictionary<string, string> DefaultIPv4 { get; } = new Dictionary<string, string>
    {
        ["cloudflare"] = "1.1.1.1",
        ["google"] = "8.8.8.8",
        ["quad9"] = "9.9.9.9",
    };

    public static IReadOnlyDictionary<string, string> DefaultIPv6 { get; } = new Dictionary<string, string>
    {
        ["cloudflare-v6"] = "2606:4700:4700::1111",
        ["google-v6"] = "2001:4860:4860::8888",
        ["quad9-v6"] = "2620:fe::fe",
    };
}
