using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Peers;

/// <summary>
/// prometheus-blackbox-exporter with an ICMP module, in a lab namespace: the peer for the probe's cost. It
/// probes only when asked (/probe?target=...), so the benchmark asks once a second per target, as a
/// Prometheus scraping it every second would.
/// </summary>
public sealed class BlackboxExporter : IAsyncDisposable
{
    public const int Port = 9115;

    private readonly string _config;

    private BlackboxExporter(LabProcess process, string config) => (Process, _config) = (process, config);

    public LabProcess Process { get; }

    public static BlackboxExporter Start(NetworkNamespace network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var config = Path.Combine(Path.GetTempPath(), $"{network.Name}-blackbox.yml");
        File.WriteAllText(config, """
            modules:
              icmp:
                prober: icmp
                timeout: 2s
                icmp:
                  preferred_ip_protocol: ip4
            """);
        var process = LabProcess.Start(network, ["prometheus-blackbox-exporter", $"--config.file={config}", $"--web.listen-address=127.0.0.1:{Port}"]);
        return new BlackboxExporter(process, config);
    }

    public static Uri ProbeUrl(string target) => new($"http://127.0.0.1:{Port}/probe?module=icmp&target={target}");

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        File.Delete(_config);
    }
}
