using System.Net;
using System.Net.Sockets;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.SpeedTest;

/// <summary>Bad servers are data: each fault ends the run with its reason, in the phase it hit, and no speed from a broken transfer.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class SpeedTestFaultTests
{
    public static TheoryData<SpeedTestServerFault, bool, string, string> Faults => new()
    {
        { SpeedTestServerFault.NotFound, false, SpeedTestFailureReason.Status, "status 404" },
        { SpeedTestServerFault.ServerError, false, SpeedTestFailureReason.Status, "status 500" },
        { SpeedTestServerFault.ShortBody, false, SpeedTestFailureReason.ShortBody, "download" },
        { SpeedTestServerFault.LongBody, false, SpeedTestFailureReason.LongBody, "beyond the Content-Length" },
        { SpeedTestServerFault.LongChunkedBody, false, SpeedTestFailureReason.LongBody, "sent more" },
        { SpeedTestServerFault.Garbage, false, SpeedTestFailureReason.InvalidResponse, "download" },
        { SpeedTestServerFault.Reset, false, SpeedTestFailureReason.Reset, "download" },
        { SpeedTestServerFault.Stall, false, SpeedTestFailureReason.Stall, "no byte moved for 1 s during the download" },
        { SpeedTestServerFault.Slow, false, SpeedTestFailureReason.Timeout, "slower than the time budget" },
        { SpeedTestServerFault.ServerError, true, SpeedTestFailureReason.Status, "status 500 for an upload of 100000 bytes" },
        { SpeedTestServerFault.ShortBody, true, SpeedTestFailureReason.ShortBody, "the server says it received 50000 of 100000 bytes" },
        { SpeedTestServerFault.Garbage, true, SpeedTestFailureReason.InvalidResponse, "upload" },
        { SpeedTestServerFault.Reset, true, SpeedTestFailureReason.Reset, "upload" },
        { SpeedTestServerFault.Stall, true, SpeedTestFailureReason.Stall, "during the upload" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_broken_transfer_ends_the_run_with_its_reason_and_no_speed(SpeedTestServerFault fault, bool uploads, string reason, string detail)
    {
        await using var server = new FaultySpeedTestServer(fault, uploads);

        var result = await Run(new CloudflareServer("faulty", server.Url));

        var phase = uploads ? SpeedTestPhase.Upload : SpeedTestPhase.Download;
        Assert.False(result.Succeeded);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(phase, result.FailedIn);
        Assert.Contains(detail, result.Detail, StringComparison.Ordinal);
        var failed = Assert.IsType<DirectionResult>(uploads ? result.Upload : result.Download);
        Assert.Null(failed.BytesPerSecond);
        Assert.Equal(reason, failed.Reason);
        if (uploads)
        {
            // The download before it was good and keeps its figure.
            Assert.True(result.Download!.Succeeded);
            Assert.True(result.Download.BytesPerSecond > 0);
        }
        else
        {
            Assert.Null(result.Upload); // the run ended: no upload after a failed download
        }

        Assert.Equal(3, result.Idle.Count); // round trips are served well by every faulty server
    }

    [Fact]
    public async Task A_server_that_refuses_connections_fails_the_run_in_the_latency_phase()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nobody listens there now

        var result = await Run(new CloudflareServer("closed", new Uri($"http://127.0.0.1:{port}/")));

        Assert.Equal(SpeedTestFailureReason.Connect, result.Reason);
        Assert.Equal(SpeedTestPhase.Latency, result.FailedIn);
        Assert.Null(result.Download);
    }

    [Fact]
    public async Task A_byte_cap_smaller_than_the_first_request_is_a_budget_failure_that_moves_nothing()
    {
        await using var server = new FaultySpeedTestServer(SpeedTestServerFault.None);

        var result = await Run(new CloudflareServer("good", server.Url), Limits() with { MaxBytes = 150_000 });

        Assert.Equal(SpeedTestFailureReason.Budget, result.Reason);
        Assert.Equal(0, result.BytesUsed(SpeedTestDirection.Download));
    }

    internal static SpeedTestLimits Limits() => new(
        RequestSizes: [100_000, 1_000_000],
        RequestsPerSize: 2,
        Streams: 1,
        MaxStreams: 1,
        MaxBytes: 100_000_000,
        RequestDuration: TimeSpan.FromSeconds(1),
        DirectionTimeout: TimeSpan.FromSeconds(2),
        StallTimeout: TimeSpan.FromSeconds(1),
        IdleLatencySamples: 3,
        LoadedLatencyInterval: TimeSpan.FromMilliseconds(50));

    private static Task<SpeedTestResult> Run(ISpeedTestServer server, SpeedTestLimits? limits = null) =>
        new SpeedTestEngine(TimeProvider.System).ProbeAsync(new SpeedTestPlan(server, limits ?? Limits()), TestContext.Current.CancellationToken);
}
