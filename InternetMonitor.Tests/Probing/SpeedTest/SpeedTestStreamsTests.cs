using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.SpeedTest;

/// <summary>
/// A server that caps each connection at 2 MB/s: one stream cannot fill what is there, so the automatic choice
/// adds streams. Pacing can only be slower on a busy machine, so the bounds below hold on any machine: the gain
/// of a doubling is about 2 against the 1.2 asked for. Rounds last half a second or more, so that a scheduling stall
/// of the loaded 2-core build machine cannot halve a trial; and the class runs alone, apart from the heavy tests.
/// </summary>
[Collection(Support.Alone.Name)]
[Trait(Layer.Key, Layer.Unit)]
public sealed class SpeedTestStreamsTests
{
    private const int PerConnection = 2_000_000;

    [Fact]
    public async Task Automatic_streams_double_while_each_doubling_is_clearly_faster()
    {
        await using var server = new FaultySpeedTestServer(SpeedTestServerFault.None, bytesPerSecondPerConnection: PerConnection);

        var result = await Run(server, streams: 0);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(4, result.Download!.Streams);
        Assert.Contains(result.Download.Samples, sample => sample.Streams == 1);
        Assert.Contains(result.Download.Samples, sample => sample.Streams == 2);
        Assert.True(result.Download.BytesPerSecond > 2 * PerConnection, $"{result.Download.BytesPerSecond} B/s with 4 streams");
    }

    [Fact]
    public async Task A_fixed_stream_count_is_kept_and_one_capped_stream_reads_no_more_than_its_cap()
    {
        await using var server = new FaultySpeedTestServer(SpeedTestServerFault.None, bytesPerSecondPerConnection: PerConnection);

        var result = await Run(server, streams: 1);

        Assert.True(result.Succeeded, result.Detail);
        Assert.All(result.Download!.Samples, sample => Assert.Equal(1, sample.Streams));
        Assert.InRange(result.Download.BytesPerSecond!.Value, 1, PerConnection * 1.1);
    }

    private static Task<SpeedTestResult> Run(FaultySpeedTestServer server, int streams) => new SpeedTestEngine(TimeProvider.System).ProbeAsync(
        new SpeedTestPlan(
            new CloudflareServer("paced", server.Url),
            SpeedTestFaultTests.Limits() with { RequestSizes = [1_000_000, 2_000_000], Streams = streams, MaxStreams = 4, DirectionTimeout = TimeSpan.FromSeconds(30) }),
        TestContext.Current.CancellationToken);
}
