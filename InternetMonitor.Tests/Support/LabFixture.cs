using InternetMonitor.Lab;
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
    public static async Task<MetricsText> ScrapeAsync(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return new MetricsText(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
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
