using System.Net;
using System.Net.Sockets;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.Http;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Probing.Http;

/// <summary>
/// The prober against a real HTTP/HTTPS server on loopback whose phases are delayed or broken on purpose.
/// Bounds are generous: a delay must show in its own phase (at least 80% of it), not in the others.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class HttpProberTests
{
    private static readonly TimeSpan Injected = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Each_injected_delay_shows_in_its_own_phase()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour
        {
            Certificate = TestCertificates.SelfSigned,
            TlsDelay = Injected,
            ProcessingDelay = Injected,
            Pieces = 3,
            ChunkDelay = Injected / 2,
        });

        var result = await ProbeAsync(Target(server, allowInvalidCertificate: true));

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1000, result.BodyBytes);
        Assert.True(result.Phases[HttpPhase.Tls] >= Injected * 0.8, $"tls {result.Phases[HttpPhase.Tls]}");
        Assert.True(result.Phases[HttpPhase.Processing] >= Injected * 0.8, $"processing {result.Phases[HttpPhase.Processing]}");
        Assert.True(result.Phases[HttpPhase.Transfer] >= Injected * 0.8, $"transfer {result.Phases[HttpPhase.Transfer]}");
        Assert.True(result.Phases[HttpPhase.Dns] < Injected / 2, $"dns {result.Phases[HttpPhase.Dns]}");
        Assert.True(result.Phases[HttpPhase.Connect] < Injected / 2, $"connect {result.Phases[HttpPhase.Connect]}");
        Assert.True(result.Total >= result.Phases.Values.Aggregate(TimeSpan.Zero, (sum, phase) => sum + phase));
    }

    [Fact]
    public async Task Plain_http_has_no_tls_phase()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour());

        var result = await ProbeAsync(Target(server));

        Assert.True(result.Succeeded, result.Detail);
        Assert.False(result.Phases.ContainsKey(HttpPhase.Tls));
        Assert.Equal(HttpConnection.Http11, result.Version);
        Assert.Equal([HttpPhase.Dns, HttpPhase.Connect, HttpPhase.Processing, HttpPhase.Transfer], result.Phases.Keys.Order());
    }

    [Fact]
    public async Task A_self_signed_certificate_fails_in_the_tls_phase_unless_allowed()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { Certificate = TestCertificates.SelfSigned });

        var refused = await ProbeAsync(Target(server));
        var allowed = await ProbeAsync(Target(server, allowInvalidCertificate: true));

        Assert.Equal(HttpFailureReason.Tls, refused.Reason);
        Assert.Equal(HttpPhase.Tls, refused.FailedIn);
        Assert.Null(refused.StatusCode);
        Assert.True(allowed.Succeeded, allowed.Detail);
    }

    [Fact]
    public async Task A_certificate_from_a_private_authority_is_trusted_with_its_ca_file_and_refused_without()
    {
        var folder = Directory.CreateTempSubdirectory("im-cafile-");
        try
        {
            var issued = LabAuthority.Issue(["localhost"], [IPAddress.Loopback]);
            var caFile = issued.WriteTo(folder.FullName);
            var stranger = Path.Combine(folder.FullName, "other-ca.pem");
            await File.WriteAllTextAsync(stranger, LabAuthority.Issue(["localhost"], [IPAddress.Loopback]).Authority, TestContext.Current.CancellationToken);
            using var certificate = TestCertificates.Server(issued);
            await using var server = new LabHttpServer(new HttpServerBehaviour { Certificate = certificate });

            var trusted = await ProbeAsync(Target(server) with { CaFile = caFile });
            var system = await ProbeAsync(Target(server));
            var other = await ProbeAsync(Target(server) with { CaFile = stranger });
            File.Delete(caFile);
            var gone = await ProbeAsync(Target(server) with { CaFile = caFile });

            Assert.True(trusted.Succeeded, trusted.Detail);
            Assert.Equal(HttpConnection.Http11, trusted.Version);
            Assert.Equal([HttpPhase.Dns, HttpPhase.Connect, HttpPhase.Tls, HttpPhase.Processing, HttpPhase.Transfer], trusted.Phases.Keys.Order());
            Assert.Equal((HttpFailureReason.Tls, HttpPhase.Tls), (system.Reason, system.FailedIn));
            Assert.Equal((HttpFailureReason.Tls, HttpPhase.Tls), (other.Reason, other.FailedIn));
            Assert.Equal((HttpFailureReason.Tls, HttpPhase.Tls), (gone.Reason, gone.FailedIn));
            Assert.Contains("ca.pem", gone.Detail, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unexpected_status_is_a_failure_that_keeps_its_code_and_timing()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { Status = 500 });

        var result = await ProbeAsync(Target(server));

        Assert.Equal(HttpFailureReason.Status, result.Reason);
        Assert.Equal(500, result.StatusCode);
        Assert.True(result.Phases.ContainsKey(HttpPhase.Transfer));
    }

    [Fact]
    public async Task An_expected_status_list_overrides_the_2xx_3xx_default()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { Status = 404 });

        var result = await ProbeAsync(Target(server) with { ExpectedStatus = [404] });

        Assert.True(result.Succeeded, result.Detail);
    }

    [Fact]
    public async Task A_closed_port_is_connect_refused()
    {
        using var placeholder = new TcpListener(IPAddress.Loopback, 0);
        placeholder.Start();
        var port = ((IPEndPoint)placeholder.LocalEndpoint).Port;
        placeholder.Stop();

        var result = await ProbeAsync(new HttpTarget("closed", new Uri($"http://127.0.0.1:{port}/"), false, []));

        Assert.Equal(HttpFailureReason.ConnectRefused, result.Reason);
        Assert.Equal(HttpPhase.Connect, result.FailedIn);
    }

    [Fact]
    public async Task A_reset_in_the_middle_of_the_body_is_reset()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { BodyBytes = 200_000, Fault = HttpFault.ResetMidBody });

        var result = await ProbeAsync(Target(server));

        Assert.True(result.Reason == HttpFailureReason.Reset, $"{result.Reason} in {result.FailedIn}: {result.Detail}");
    }

    [Fact]
    public async Task A_body_shorter_than_announced_is_body()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { BodyBytes = 10_000, Fault = HttpFault.ShortBody });

        var result = await ProbeAsync(Target(server));

        Assert.Equal(HttpFailureReason.Body, result.Reason);
        Assert.Equal(HttpPhase.Transfer, result.FailedIn);
    }

    [Fact]
    public async Task Garbage_instead_of_a_response_is_invalid_response_and_never_an_exception()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { Fault = HttpFault.Garbage });

        var result = await ProbeAsync(Target(server));

        Assert.Equal(HttpFailureReason.InvalidResponse, result.Reason);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_is_timeout_in_the_phase_it_was_in()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { ProcessingDelay = TimeSpan.FromSeconds(30) });

        var result = await ProbeAsync(Target(server), timeout: TimeSpan.FromMilliseconds(300));

        Assert.Equal(HttpFailureReason.Timeout, result.Reason);
        Assert.Equal(HttpPhase.Processing, result.FailedIn);
        Assert.False(result.Phases.ContainsKey(HttpPhase.Processing));
    }

    [Fact]
    public async Task A_chunked_body_is_read_to_its_end()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour { Chunked = true, BodyBytes = 5000, Pieces = 4 });

        var result = await ProbeAsync(Target(server));

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(5000, result.BodyBytes);
    }

    [Fact]
    public async Task Every_probe_opens_a_fresh_connection()
    {
        await using var server = new LabHttpServer(new HttpServerBehaviour());
        var prober = Prober(TimeSpan.FromSeconds(10));

        await prober.ProbeAsync(Target(server), TestContext.Current.CancellationToken);
        await prober.ProbeAsync(Target(server), TestContext.Current.CancellationToken);

        Assert.Equal(2, server.Accepted);
    }

    private static HttpTarget Target(LabHttpServer server, bool allowInvalidCertificate = false) =>
        new("lab", server.Url, allowInvalidCertificate, []);

    private static HttpProber Prober(TimeSpan timeout) =>
        new(Options.Create(new HttpProbeOptions { Timeout = timeout }), TimeProvider.System);

    private static Task<HttpResult> ProbeAsync(HttpTarget target, TimeSpan? timeout = null) =>
        Prober(timeout ?? TimeSpan.FromSeconds(10)).ProbeAsync(target, TestContext.Current.CancellationToken);
}
