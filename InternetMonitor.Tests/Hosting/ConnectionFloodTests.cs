using System.Diagnostics;
using System.Globalization;
using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Hosting;

/// <summary>
/// The built probe in a namespace, its descriptor limit lowered, flooded by slow clients from a non-loopback address:
/// loopback, pings and the history go on, and the probe's descriptors stay under its limit.
/// </summary>
[Collection(Alone.Name)]
[Trait(Layer.Key, Layer.Integration)]
public sealed class ConnectionFloodTests
{
    private const int Limit = 1024;
    private const int Clients = 3000;
    private static readonly IPAddress Remote = IPAddress.Parse("192.0.2.1");
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_flood_of_slow_clients_from_the_network_leaves_loopback_pings_and_history_alone()
    {
        Prerequisite.RequireRoot();
        DescriptorLimit.ReadAndRaise(); // this process holds the flood's sockets
        var cancel = TestContext.Current.CancellationToken;
        await NetworkNamespace.SweepAbandonedAsync();
        await using var network = await NetworkNamespace.CreateAsync();
        await network.RunAsync("ip", "addr", "add", $"{Remote}/32", "dev", "lo"); // an address of the namespace that is not loopback
        await using var probe = ProbeProcess.Start(network, LabFixture.ProbeProgram, ProbeHost.Environment(ProbeHost.LoopbackArguments()), listenOnAll: true, descriptorLimit: Limit);
        await probe.WaitForLogAsync($"Connections: descriptor limit {Limit} ", cancel);
        await probe.WaitForAsync(metrics => metrics.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) >= 5, "pings answered", cancellationToken: cancel);
        var (idleDescriptors, idleRss) = (ProcessFigures.Descriptors(probe.Id), ProcessFigures.Memory(probe.Id, "VmRSS"));

        // /health answered once before the flood: what it is like idle, and its first answer (the code it first runs and
        // loads) not left to the moment the flood starts, when sockets accepted and not yet counted can take every descriptor.
        var healthBefore = await HealthAsync(network, () => probe.Log, cancel);

        var before = await probe.WaitForAsync(_ => true, "a scrape before the flood", cancellationToken: cancel);
        using var stop = new CancellationTokenSource();
        var flood = Task.Run(() => NamespaceThread.Run(network, () => SlowClients.Run(Remote, new IPEndPoint(Remote, ProbeProcess.Port), Clients, stop.Token)), cancel);
        var (peakDescriptors, peakRss, peakRemote, slowestHealth) = (0, 0L, 0.0, TimeSpan.Zero);
        MetricsText during;
        var started = Stopwatch.StartNew();
        try
        {
            var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (true)
            {
                Assert.False(probe.HasExited, $"the probe exited during the flood:\n{probe.Log}");
                Assert.False(flood.IsCompleted, "the flood ended by itself: " + flood.Exception);
                var descriptors = ProcessFigures.Descriptors(probe.Id);
                Assert.True(descriptors < Limit, $"{descriptors} descriptors open, the limit is {Limit}");
                (peakDescriptors, peakRss) = (Math.Max(peakDescriptors, descriptors), Math.Max(peakRss, ProcessFigures.Memory(probe.Id, "VmRSS")));
                slowestHealth = Max(slowestHealth, await HealthAsync(network, () => probe.Log, cancel));

                during = await probe.WaitForAsync(_ => true, "a scrape during the flood", cancellationToken: cancel);
                peakRemote = Math.Max(peakRemote, during.Value("internet_monitor_http_connections_open", ("client", "remote")) ?? 0);

                // Long enough for a minute of latency to be written, with the remote clients' share full and refusals counted.
                if (started.Elapsed > TimeSpan.FromSeconds(30) && Increase(before, during, "internet_monitor_history_rows_written_total", ("table", "latency_minutes")) > 0
                    && during.Value("internet_monitor_http_connections_refused_total", ("client", "remote")) > 0)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < until, $"the flood did not fill the remote share or no latency minute was written:\n{during.Text}");
                await Task.Delay(500, cancel);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await flood.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var made = await flood;
        var remoteLimit = during.Value("internet_monitor_http_connections_limit", ("client", "remote"));
        var refused = during.Value("internet_monitor_http_connections_refused_total", ("client", "remote"));
        var sent = Increase(before, during, "internet_monitor_ping_packets_sent_total", ("target", "lo"));
        var lost = Increase(before, during, "internet_monitor_ping_packet_loss_total", ("target", "lo"));
        Assert.Equal(remoteLimit, peakRemote);
        Assert.True(sent > 0, "pings went on during the flood");
        Assert.Equal(0, lost);
        Assert.Equal(0, Increase(before, during, "internet_monitor_history_write_failures_total"));
        Assert.Equal(0, during.Value("internet_monitor_http_connections_refused_total", ("client", "loopback")));

        // After: the held connections are let go, and the probe is as it was.
        var settle = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int after;
        while ((after = ProcessFigures.Descriptors(probe.Id)) > idleDescriptors + 32)
        {
            Assert.True(DateTime.UtcNow < settle, $"{after} descriptors still open a minute after the flood (idle: {idleDescriptors})");
            await Task.Delay(250, cancel);
        }

        var healthAfter = await HealthAsync(network, () => probe.Log, cancel);
        Assert.False(probe.HasExited);

        var figures = string.Create(CultureInfo.InvariantCulture,
            $"flood: {Clients} slow clients from {Remote}, {made} connections made over {started.Elapsed.TotalSeconds:0} s; descriptor limit {Limit}, remote limit {remoteLimit}; "
            + $"descriptors idle {idleDescriptors} / peak {peakDescriptors} / after {after}; RSS idle {idleRss >> 20} MiB / peak {peakRss >> 20} MiB / after {ProcessFigures.Memory(probe.Id, "VmRSS") >> 20} MiB; "
            + $"/health before {healthBefore.TotalMilliseconds:0} ms, slowest during {slowestHealth.TotalMilliseconds:0} ms, after {healthAfter.TotalMilliseconds:0} ms; echoes sent {sent}, lost {lost}; connections refused {refused}");
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        InNamespace.Report(figures);
    }

    /// <summary>GET /health over a new loopback connection in the namespace until it answers 200; its latency. Fails after the deadline.</summary>
    private static async Task<TimeSpan> HealthAsync(NetworkNamespace network, Func<string> log, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + HealthDeadline;
        var last = "no answer";
        while (DateTime.UtcNow < until)
        {
            using var client = NamespaceHttpClient.Create(network, HealthDeadline);
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{ProbeProcess.Port}/health"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }

                last = $"status {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"/health from loopback did not answer 200 within {HealthDeadline.TotalSeconds} s: {last}\n--- the probe's log ---\n{log()}");
        return TimeSpan.Zero;
    }

    private static double Increase(MetricsText before, MetricsText after, string name, params (string, string)[] labels) =>
        (after.Samples(name).Where(sample => labels.All(label => sample.Labels.TryGetValue(label.Item1, out var value) && value == label.Item2)).Sum(sample => sample.Value))
        - (before.Samples(name).Where(sample => labels.All(label => sample.Labels.TryGetValue(label.Item1, out var value) && value == label.Item2)).Sum(sample => sample.Value));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
