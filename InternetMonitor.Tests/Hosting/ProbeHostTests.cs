using System.Collections.Concurrent;
using System.Net;
using System.Text;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InternetMonitor.Tests.Hosting;

/// <summary>The whole probe, in process, on a loopback port: the endpoints ServiceDefaults maps and the OTLP switch.</summary>
public sealed class ProbeHostTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Health_alive_and_metrics_answer_while_the_probe_pings_loopback()
    {
        Prerequisite.RequireRoot();
        await using var app = ProbeProgram.Build(ProbeHost.LoopbackArguments());
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(app) };

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        var metrics = await ProbeHost.WaitForMetricsAsync(app, text => text.Value("internet_monitor_up") == 1);
        Assert.Equal(1, metrics.Samples("internet_monitor_build_info").Single().Value);
        Assert.True(metrics.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) >= 1);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Logs_and_traces_go_out_over_otlp_when_the_endpoint_is_set()
    {
        Prerequisite.RequireRoot();
        await using var receiver = await CaptureServer.StartAsync();
        receiver.Reply = ("application/x-protobuf", string.Empty);

        await using var app = ProbeProgram.Build([
            .. ProbeHost.LoopbackArguments(),
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Url.ToString().TrimEnd('/')}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_BLRP_SCHEDULE_DELAY=100",
            "--OTEL_BSP_SCHEDULE_DELAY=100",
        ]);
        await app.StartAsync(TestContext.Current.CancellationToken);

        var logs = await receiver.WaitForAsync(request => request.Path == "/v1/logs" && request.Contains("Pinging 1 targets"), Deadline, "an OTLP log export");
        Assert.True(logs.Contains("InternetMonitor.Probe"), "service.name is a resource attribute of the exported logs");
        Assert.True(logs.Contains("host.name"), "host.name is a resource attribute of the exported logs");
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
