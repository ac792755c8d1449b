using System.Text;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Telemetry;
using Prometheus;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The network lab (InternetMonitor.Lab) for tests: each entry point first checks what the lab needs, skipping
/// the test on a machine without it, and failing it under CI.
/// </summary>
public static class LabFixture
{
    /// <summary>A namespace holding only its loopback.</summary>
    public static Task<NetworkNamespace> NamespaceAsync()
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("ip", "iproute2");
        return NetworkNamespace.CreateAsync();
    }

    /// <summary>Two namespaces joined by a veth pair, the far one answering echoes from user space.</summary>
    public static Task<LabNetwork> NetworkAsync()
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("ip", "iproute2");
        Prerequisite.RequireProgram("tc", "iproute2");
        Prerequisite.RequireProgram("iptables", "iptables");
        return LabNetwork.CreateAsync();
    }

    /// <summary>
    /// Inside a namespace: two public anchors (127.0.0.2, 127.0.0.3) and the router (127.0.0.1), pinged every 0.2 s,
    /// an outage declared after 1 s, no other job; <see cref="SilentAnchors"/> then makes it the provider's outage.
    /// </summary>
    public static Dictionary<string, string> AnchorsAndRouter() => new()
    {
        ["Monitor__Targets__Public__a"] = "127.0.0.2",
        ["Monitor__Targets__Public__b"] = "127.0.0.3",
        ["Monitor__Targets__Gateway"] = "127.0.0.1",
        ["Monitor__Icmp__Interval"] = "00:00:00.2",
        ["Monitor__Icmp__Timeout"] = "00:00:00.5",
        ["Monitor__Outage__DownAfter"] = "00:00:01",
        ["Monitor__Dns__Enabled"] = "false",
        ["Monitor__Http__Enabled"] = "false",
        ["Monitor__SpeedTest__Enabled"] = "false",
    };

    /// <summary>The firewall rule (iptables, INPUT) that silences the anchors of <see cref="AnchorsAndRouter"/> while the router answers.</summary>
    public static readonly string[] SilentAnchors = ["INPUT", "-p", "icmp", "--icmp-type", "echo-request", "-d", "127.0.0.2/31", "-j", "DROP"];

    /// <summary>Starts the probe built beside the tests inside <paramref name="network"/>.</summary>
    public static ProbeProcess StartProbe(NetworkNamespace network, IReadOnlyDictionary<string, string> settings, string? asUser = null)
    {
        if (asUser is not null)
        {
            Prerequisite.RequireProgram("setpriv", "util-linux");
        }

        return ProbeProcess.Start(network, ProbeProgram, settings, asUser);
    }

    /// <summary>The probe built beside the tests.</summary>
    public static string ProbeProgram => Path.Combine(ProbeOutput(), "InternetMonitor.Probe.dll");

    /// <summary>Polls the probe's /metrics until <paramref name="condition"/> holds (see <see cref="ProbeProcess.WaitForAsync"/>).</summary>
    public static Task<MetricsText> UntilAsync(this ProbeProcess probe, Func<MetricsText, bool> condition, string what, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return probe.WaitForAsync(condition, what, deadline, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>What a scrape of <paramref name="registry"/> would read.</summary>
    public static Task<MetricsText> ScrapeAsync(CollectorRegistry registry) => MetricsText.ScrapeAsync(registry, TestContext.Current.CancellationToken);

    /// <summary>What the probe's /metrics would read from <paramref name="exposition"/>, in <paramref name="format"/>.</summary>
    public static async Task<MetricsText> ScrapeAsync(MetricsExposition exposition, ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        using var stream = new MemoryStream();
        await exposition.WriteAsync(stream, format, TestContext.Current.CancellationToken);
        return new MetricsText(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>
    /// The probe project's own build output (same configuration as the tests), not the copy beside the tests:
    /// coverage tools instrument that copy, and its hit file cannot be written by a probe run as another user.
    /// </summary>
    private static string ProbeOutput()
    {
        var tests = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(tests);
        var configuration = Path.GetFileName(Path.GetDirectoryName(tests))!;
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(tests))))!;
        var own = Path.Combine(root, "InternetMonitor.Probe", "bin", configuration, framework);
        return File.Exists(Path.Combine(own, "InternetMonitor.Probe.dll")) ? own : AppContext.BaseDirectory;
    }
}
