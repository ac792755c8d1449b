namespace InternetMonitor.Probe.Probing.Dns;

/// <summary>Bound from <c>Monitor:Dns</c>.</summary>
public sealed class DnsOptions
{
    public const string Section = "Dns";

    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan StartJitter { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Names to resolve. Empty: <see cref="DefaultNames"/>.</summary>
    public List<string> Names { get; set; } = [];

    public DnsRecordType RecordType { get; set; } = DnsRecordType.A;

    /// <summary>Also resolve through the operating system's resolver (getaddrinfo), as server "system".</summary>
    public bool SystemResolver { get; set; } = true;

    /// <summary>Name (the <c>server</c> label) to "address" or "address:port" ("[v6]:port"). Empty: <see cref="DefaultServers"/>.</summary>
    public Dictionary<string, string> Servers { get; set; } = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> DefaultNames { get; } = ["example.com", "cloudflare.com", "google.com"];

    public static IReadOnlyDictionary<string, string> DefaultServers { get; } = new Dictionary<string, string>
    {
        ["cloudflare"] = "1.1.1.1",
        ["google"] = "8.8.8.8",
        ["quad9"] = "9.9.9.9",
    };
}
