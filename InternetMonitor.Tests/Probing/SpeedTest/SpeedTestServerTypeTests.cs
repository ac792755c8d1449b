using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InternetMonitor.Tests.Probing.SpeedTest;

/// <summary>One run per server type against a real server on loopback, checked against what the server saw.</summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class SpeedTestServerTypeTests
{
    [Fact]
    public async Task Cloudflare_the_probe_as_server_moved_exactly_the_bytes_the_client_counted()
    {
        await using var server = await StartServingProbeAsync();
        var url = ProbeHost.BaseAddress(server);

        var result = await Run(new CloudflareServer("probe", url));

        Assert.True(result.Succeeded, result.Detail);
        Assert.True(result.Download!.BytesPerSecond > 0);
        Assert.True(result.Upload!.BytesPerSecond > 0);
        Assert.Equal(20, result.Idle.Count);
        var metrics = await ProbeHost.ScrapeAsync(server);
        Assert.Equal(result.BytesUsed(SpeedTestDirection.Download), metrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "download")));
        Assert.Equal(result.BytesUsed(SpeedTestDirection.Upload), metrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "upload")));

        // Every round asked for one of the configured sizes; its timed bytes never exceed what was asked.
        Assert.All(result.Download.Samples, sample => Assert.InRange(sample.Bytes, 1, sample.RequestBytes * sample.Streams));
        Assert.All(result.Upload.Samples, sample => Assert.Equal(sample.RequestBytes * sample.Streams, sample.Bytes));
    }

    [Fact]
    public async Task LibreSpeed_a_php_backend_sends_whole_mebibytes_and_takes_uploads()
    {
        await using var php = await WebServerProcess.StartPhpAsync(Path.Combine(AppContext.BaseDirectory, "Support", "LibreSpeed"));

        var result = await Run(new LibreSpeedServer("librespeed", php.Url));

        Assert.True(result.Succeeded, result.Detail);
        Assert.All(result.Download!.Samples, sample => Assert.Equal(0, sample.RequestBytes % LibreSpeedServer.Chunk));
        Assert.Equal(0, result.BytesUsed(SpeedTestDirection.Download) % LibreSpeedServer.Chunk);
        Assert.True(result.Upload!.BytesPerSecond > 0);
    }

    [Fact]
    public async Task Url_a_static_file_read_by_ranges_and_uploads_posted_elsewhere()
    {
        var documents = Directory.CreateTempSubdirectory("im-files-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(documents, "file.bin"), new byte[3_000_000], TestContext.Current.CancellationToken);
            await using var nginx = await WebServerProcess.StartNginxAsync(documents);
            await using var probe = await StartServingProbeAsync();

            var result = await Run(new UrlServer("files", new Uri(nginx.Url, "file.bin"), new Uri(ProbeHost.BaseAddress(probe), "__up")), streams: 1);
            var downloadOnly = await Run(new UrlServer("files", new Uri(nginx.Url, "file.bin"), null), streams: 1);

            Assert.True(result.Succeeded, result.Detail);
            // Two rounds each: 100 kB and 1 MB ranges, then the whole 3 MB file for the 10 MB step. How far the ramp goes
            // depends on the speed it measures (a loaded machine's loopback can stop it after 1 MB); each step it takes is whole.
            long[] ramp = [100_000, 100_000, 1_000_000, 1_000_000, 10_000_000, 10_000_000];
            var sizes = result.Download!.Samples.Select(sample => sample.RequestBytes).ToList();
            Assert.InRange(sizes.Count, 2, ramp.Length);
            Assert.Equal(0, sizes.Count % 2);
            Assert.Equal(ramp.Take(sizes.Count), sizes);
            Assert.Equal(sizes.Sum(size => Math.Min(size, 3_000_000)), result.BytesUsed(SpeedTestDirection.Download));
            Assert.True(result.Upload!.BytesPerSecond > 0);
            Assert.True(downloadOnly.Succeeded, downloadOnly.Detail);
            Assert.Null(downloadOnly.Upload);
        }
        finally
        {
            Directory.Delete(documents, recursive: true);
        }
    }

    internal static Task<WebApplication> StartServingProbeAsync() => ProbeHost.StartAsync("--Monitor:SpeedTestServer:Enabled=true");

    private static Task<SpeedTestResult> Run(ISpeedTestServer server, int streams = 0) => new SpeedTestEngine(TimeProvider.System).ProbeAsync(
        new SpeedTestPlan(server, SpeedTestFaultTests.Limits() with { RequestSizes = [100_000, 1_000_000, 10_000_000], Streams = streams, MaxStreams = 4, IdleLatencySamples = 20 }),
        TestContext.Current.CancellationToken);
}
