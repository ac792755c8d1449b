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

    /// <summary>Starts it and returns once it answers on its port (the first probe must not race its start).</summary>
    public static async Task<BlackboxExporter> StartAsync(NetworkNamespace network, HttpClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
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
        var exporter = new BlackboxExporter(LabProcess.Start(network, ["prometheus-blackbox-exporter", $"--config.file={config}", $"--web.listen-address=127.0.0.1:{Port}"]), config);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{Port}/metrics"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return exporter;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow >= until || exporter.Process.HasExited)
            {
                var log = exporter.Process.Log;
                await exporter.DisposeAsync();
                throw new LabException($"blackbox_exporter did not answer within 30 s:\n{log}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public static Uri ProbeUrl(string target) => new($"http://127.0.0.1:{Port}/probe?module=icmp&target={target}");

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        File.Delete(_config);
    }
}
