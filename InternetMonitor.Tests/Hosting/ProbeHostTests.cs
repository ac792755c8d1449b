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
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var receiver = await StartOtlpReceiverAsync(received);

        await using var app = ProbeProgram.Build([
            .. ProbeHost.LoopbackArguments(),
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={ProbeHost.BaseAddress(receiver).ToString().TrimEnd('/')}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_BLRP_SCHEDULE_DELAY=100",
            "--OTEL_BSP_SCHEDULE_DELAY=100",
        ]);
        await app.StartAsync(TestContext.Current.CancellationToken);

        var until = DateTime.UtcNow + Deadline;
        while (!received.Any(request => request.Path == "/v1/logs" && Contains(request.Body, "Pinging 1 targets")))
        {
            Assert.True(DateTime.UtcNow < until, $"no OTLP log export arrived; paths seen: {string.Join(", ", received.Select(r => r.Path).Distinct())}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var logs = received.First(request => request.Path == "/v1/logs" && Contains(request.Body, "Pinging 1 targets")).Body;
        Assert.True(Contains(logs, "InternetMonitor.Probe"), "service.name is a resource attribute of the exported logs");
        Assert.True(Contains(logs, "host.name"), "host.name is a resource attribute of the exported logs");
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static async Task<WebApplication> StartOtlpReceiverAsync(ConcurrentQueue<(string Path, byte[] Body)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = builder.Build();
        receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            received.Enqueue((context.Request.Path.Value ?? string.Empty, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
            return Results.Empty;
        });
        await receiver.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }
}
