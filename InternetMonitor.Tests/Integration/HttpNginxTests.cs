using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.Http;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// The prober against the real nginx over HTTPS with a private authority's certificate, with and without HTTP/2 on
/// offer: the version it reports is the one TLS negotiated, and every phase is timed on both. How close each phase is
/// to curl's is `make bench`'s (docs/benchmarks.md).
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class HttpNginxTests
{
    [Theory]
    [InlineData(true, HttpConnection.Http2)]
    [InlineData(false, HttpConnection.Http11)]
    public async Task The_version_is_what_tls_negotiated_and_every_phase_is_timed(bool http2, string version)
    {
        Prerequisite.RequireProgram("nginx", "nginx-light");
        Prerequisite.RequireProgram("curl", "curl");
        await using var nginx = await LabNginx.StartAsync(null, IPAddress.Loopback, LoopbackPort.FreeTcp(), host: null, http2);
        var prober = new HttpProber(Options.Create(new HttpProbeOptions { Timeout = TimeSpan.FromSeconds(10) }), TimeProvider.System);
        var target = new HttpTarget("nginx", nginx.Url, AllowInvalidCertificate: false, ExpectedStatus: [], CaFile: nginx.AuthorityFile);

        var first = await prober.ProbeAsync(target, TestContext.Current.CancellationToken);
        var second = await prober.ProbeAsync(target, TestContext.Current.CancellationToken);

        foreach (var result in new[] { first, second })
        {
            Assert.True(result.Succeeded, $"{result.Reason} in {result.FailedIn}: {result.Detail}");
            Assert.Equal(200, result.StatusCode);
            Assert.Equal(version, result.Version);
            Assert.Equal(LabNginx.BodyBytes, result.BodyBytes);
            Assert.Equal([HttpPhase.Dns, HttpPhase.Connect, HttpPhase.Tls, HttpPhase.Processing, HttpPhase.Transfer], result.Phases.Keys.Order());
            Assert.All(result.Phases.Values, duration => Assert.True(duration >= TimeSpan.Zero));
            Assert.True(result.Phases[HttpPhase.Tls] > TimeSpan.Zero, "a TLS handshake takes time");
            Assert.True(result.Total >= result.Phases.Values.Aggregate(TimeSpan.Zero, (sum, phase) => sum + phase));
        }
    }

    [Fact]
    public async Task Without_its_authority_the_server_is_refused_in_the_tls_phase()
    {
        Prerequisite.RequireProgram("nginx", "nginx-light");
        Prerequisite.RequireProgram("curl", "curl");
        await using var nginx = await LabNginx.StartAsync(null, IPAddress.Loopback, LoopbackPort.FreeTcp(), host: null, http2: true);
        var prober = new HttpProber(Options.Create(new HttpProbeOptions { Timeout = TimeSpan.FromSeconds(10) }), TimeProvider.System);

        var result = await prober.ProbeAsync(new HttpTarget("nginx", nginx.Url, false, []), TestContext.Current.CancellationToken);

        Assert.Equal((HttpFailureReason.Tls, HttpPhase.Tls), (result.Reason, result.FailedIn));
        Assert.Null(result.Version);
    }
}
