using System.Globalization;
using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.SpeedTest.Command;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>What every scenario needs: where the probe is built, and how to start it in a lab namespace.</summary>
/// <param name="probe">The probe as `make run` runs it: InternetMonitor.Probe.dll on the .NET runtime.</param>
/// <param name="nativeProbe">The natively compiled probe (`make publish`), if there is one.</param>
public sealed class BenchContext(string probe, string? nativeProbe)
{
    public string Probe { get; } = probe;

    public string? NativeProbe { get; } = nativeProbe;

    /// <summary>
    /// Starts the probe in <paramref name="network"/> watching <paramref name="targets"/> (name to address), no
    /// gateway, no DNS or HTTP job unless <paramref name="settings"/> says otherwise; waits for its first scrape.
    /// </summary>
    public Task<ProbeProcess> StartProbeAsync(NetworkNamespace network, IReadOnlyDictionary<string, string> targets, IReadOnlyDictionary<string, string>? settings = null) =>
        StartProbeAsync(Probe, network, targets, settings);

    /// <summary>As <see cref="StartProbeAsync(NetworkNamespace, IReadOnlyDictionary{string, string}, IReadOnlyDictionary{string, string}?)"/>, with this build of the probe.</summary>
    public static async Task<ProbeProcess> StartProbeAsync(string program, NetworkNamespace network, IReadOnlyDictionary<string, string> targets, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        foreach (var (name, address) in targets)
        {
            environment[$"Monitor__Targets__Public__{name}"] = address;
        }

        environment.TryAdd("Monitor__Targets__Gateway", "none");
        environment.TryAdd("Monitor__Dns__Enabled", "false");
        environment.TryAdd("Monitor__Http__Enabled", "false");
        environment.TryAdd("Monitor__SpeedTest__Enabled", "false");
        var probe = ProbeProcess.Start(network, program, environment);
        await probe.WaitForAsync(_ => true, "the probe's first /metrics", TimeSpan.FromSeconds(60));
        return probe;
    }

    /// <summary>The build users run at home, which measures speed and timing here: the native one when there is one (what `make publish` and the image ship).</summary>
    public string ShippedProbe => NativeProbe ?? Probe;

    /// <summary>A probe serving the Cloudflare-compatible speed-test endpoints on every address of <paramref name="network"/>, port 8000.</summary>
    public async Task<ProbeProcess> StartSpeedTestServerAsync(NetworkNamespace network)
    {
        var probe = ProbeProcess.StartSpeedTestServer(network, ShippedProbe);
        await probe.WaitForAsync(_ => true, "the serving probe's first /metrics", TimeSpan.FromSeconds(60));
        return probe;
    }

    /// <summary>`speedtest --server URL ... --json` in <paramref name="network"/>; throws when it does not succeed.</summary>
    public async Task<SpeedTestReport> SpeedTestAsync(NetworkNamespace network, Uri server, params string[] arguments)
    {
        var (code, report, error) = await SpeedTestCommandRun.RunAsync(network, ShippedProbe, ["--server", server.ToString(), .. arguments], TimeSpan.FromMinutes(3));
        return code == 0 && report is not null ? report : throw new LabException($"speedtest against {server} failed (exit {code}): {error}");
    }

    /// <summary>Lab addresses 192.0.2.first, .first+1, ... as many as asked.</summary>
    public static IReadOnlyList<IPAddress> FarAddresses(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(last => IPAddress.Parse("192.0.2." + last.ToString(CultureInfo.InvariantCulture)))];

    public static string Milliseconds(double seconds) => (seconds * 1000).ToString("0.000", CultureInfo.InvariantCulture);

    public static string Mbits(double? bitsPerSecond) => bitsPerSecond is { } bits ? (bits / 1e6).ToString("0.00", CultureInfo.InvariantCulture) : "-";

    public static string Ratio(double ratio) => ratio.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Percent(double ratio) => (ratio * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";
}
