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
            // Sampled every half second, each sample checked, until the flood has run long enough for a minute of latency
            // to be written, with the remote clients' share full and refusals counted.
            during = await Poll.UntilAsync(
                async () =>
                {
                    Assert.False(probe.HasExited, $"the probe exited during the flood:\n{probe.Log}");
                    Assert.False(flood.IsCompleted, "the flood ended by itself: " + flood.Exception);
                    var descriptors = ProcessFigures.Descriptors(probe.Id);
                    Assert.True(descriptors < Limit, $"{descriptors} descriptors open, the limit is {Limit}");
                    (peakDescriptors, peakRss) = (Math.Max(peakDescriptors, descriptors), Math.Max(peakRss, ProcessFigures.Memory(probe.Id, "VmRSS")));
                    slowestHealth = Max(slowestHealth, await HealthAsync(network, () => probe.Log, cancel));
                    var sample = await probe.WaitForAsync(_ => true, "a scrape during the flood", cancellationToken: cancel);
                    peakRemote = Math.Max(peakRemote, sample.Value("internet_monitor_http_connections_open", ("client", "remote")) ?? 0);
                    return sample;
                },
                sample => started.Elapsed > TimeSpan.FromSeconds(30) && Increase(before, sample, "internet_monitor_history_rows_written_total", ("table", "latency_minutes")) > 0
                    && sample.Value("internet_monitor_http_connections_refused_total", ("client", "remote")) > 0,
                "the flood filling the remote share while a latency minute is written",
                TimeSpan.FromMinutes(3),
                TimeSpan.FromMilliseconds(500));
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
        var after = await Poll.UntilAsync(
            () => Task.FromResult(ProcessFigures.Descriptors(probe.Id)),
            descriptors => descriptors <= idleDescriptors + 32,
            $"the probe's descriptors back near idle ({idleDescriptors}) after the flood",
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(250));

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
        var answer = await Poll.UntilAsync(
            async () =>
            {
                using var client = NamespaceHttpClient.Create(network, HealthDeadline);
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{ProbeProcess.Port}/health"), cancellationToken);
                    return response.StatusCode == HttpStatusCode.OK
                        ? (Latency: clock.Elapsed, Last: "200")
                        : (Latency: (TimeSpan?)null, Last: $"status {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    return (Latency: null, Last: exception.Message);
                }
            },
            health => health.Latency is not null,
            "/health from loopback answering 200",
            HealthDeadline,
            TimeSpan.FromMilliseconds(100),
            explain: health => Task.FromResult($"last: {health.Last}\n--- the probe's log ---\n{log()}"));
        return answer.Latency!.Value;
    }

    private static double Increase(MetricsText before, MetricsText after, string name, params (string Name, string Value)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
