using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Arm64;

/// <summary>An arm64 probe run under qemu-user in a namespace of the test's own, pinging its loopback alone.</summary>
public static class EmulatedProbe
{
    /// <summary>How long an emulated probe may take to answer: under qemu a JIT-compiled start is many times slower.</summary>
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(3);

    /// <summary>127.0.0.1 as its one target, no gateway, and none of the jobs whose defaults are public servers.</summary>
    private static readonly Dictionary<string, string> Loopback = new()
    {
        ["Monitor__Targets__Public__lo"] = "127.0.0.1",
        ["Monitor__Targets__Gateway"] = "none",
        ["Monitor__Dns__Enabled"] = "false",
        ["Monitor__Http__Enabled"] = "false",
        ["Monitor__SpeedTest__Enabled"] = "false",
    };

    /// <summary>
    /// Starts <paramref name="program"/> through <paramref name="emulator"/> in a loopback-only namespace, waits until
    /// /health says Healthy and /metrics counts echo replies from 127.0.0.1, and stops it by its process id (SIGTERM).
    /// </summary>
    public static async Task AssertServesAsync(string program, IReadOnlyList<string> emulator)
    {
        await using var network = await LabFixture.NamespaceAsync();
        var clock = Stopwatch.StartNew();
        var probe = ProbeProcess.Start(network, program, Loopback, emulator: emulator);
        await using (probe)
        {
            var health = await Poll.UntilAsync(
                () => probe.TryGetAsync("/health"),
                body => Status(body) == "Healthy",
                "/health answering Healthy",
                Slow,
                TimeSpan.FromMilliseconds(500),
                () => probe.HasExited ? $"the probe exited:\n{probe.Log}" : null,
                body => Task.FromResult($"last answer: {body ?? "(none)"}\n--- probe log ---\n{probe.Log}"));
            var healthy = clock.Elapsed;
            Assert.Equal("Healthy", Status(health));

            var metrics = await probe.WaitForAsync(
                scrape => scrape.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) > 0,
                "echo replies from 127.0.0.1 counted",
                Slow,
                TimeSpan.FromMilliseconds(500),
                TestContext.Current.CancellationToken);
            Assert.True(metrics.Value("internet_monitor_ping_packets_sent_total", ("target", "lo")) >= metrics.Value("internet_monitor_ping_packets_received_total", ("target", "lo")));
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"under {emulator[0]}: /health Healthy after {healthy.TotalSeconds:0.0} s, echo replies counted after {clock.Elapsed.TotalSeconds:0.0} s"));
        }

        Assert.Empty(await network.ProcessIdsAsync()); // stopped by its id, nothing left in the namespace
    }

    private static string? Status(string? body)
    {
        if (body is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
