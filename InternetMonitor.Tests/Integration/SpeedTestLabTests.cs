using System.Globalization;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// Accuracy against a known truth: the lab link shaped with tc tbf, one probe serving speed tests on the far side,
/// the `speedtest` command run on the near side as a user runs it. The shaper counts Ethernet, IP and TCP headers,
/// so a perfect reading of the payload is about 0.96 of the rate; the bounds leave room for a loaded machine,
/// which can only read lower. The tight figures are in the benchmark.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class SpeedTestLabTests
{
    [Theory]
    [InlineData(10_000_000)]
    [InlineData(50_000_000)]
    public async Task A_shaped_link_reads_within_0_9_to_1_05_of_its_rate_in_both_directions(long bitsPerSecond)
    {
        await using var lab = await LabFixture.NetworkAsync();
        await lab.ShapeAsync(bitsPerSecond);
        await using var server = ProbeProcess.StartSpeedTestServer(lab.Far, LabFixture.ProbeProgram);
        await server.UntilAsync(_ => true, "the serving probe's first /metrics");

        var (code, report, error) = await SpeedTestCommandRun.RunAsync(
            lab.Near, LabFixture.ProbeProgram, ["--server", $"http://{LabNetwork.FarAddress}:{ProbeProcess.Port}/"], TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.True(code == 0, error);
        Assert.NotNull(report);
        foreach (var (direction, figures) in new[] { ("download", report.Download), ("upload", report.Upload) })
        {
            var ratio = figures!.BitsPerSecond!.Value / bitsPerSecond;
            Assert.True(ratio is >= 0.9 and <= 1.05, string.Create(CultureInfo.InvariantCulture, $"{direction}: {figures.BitsPerSecond / 1e6:0.00} Mbit/s on a {bitsPerSecond / 1e6} Mbit/s link ({ratio:0.000})"));

            // The shaper's queue fills under load: the loaded round trip is longer than the idle one.
            Assert.True(figures.LatencyIncreaseSeconds > 0, $"{direction}: loaded latency {figures.LoadedLatency.MedianSeconds} s, idle {report.IdleLatency.MedianSeconds} s");
        }
    }
}
