using System.Net;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace InternetMonitor.Tests.History;

/// <summary>The roll-ups in a host as the probe runs them: the echoes reported while the host stops are written too.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class LatencyHistoryTests : IDisposable
{
    private static readonly PingTarget Loopback = new("lo", IPAddress.Loopback, TargetRole.Public);
    private readonly string _folder = Directory.CreateTempSubdirectory("im-latency-history-").FullName;

    [Fact]
    public async Task Echoes_reported_by_the_ping_job_as_it_stops_are_in_the_history()
    {
        var path = Path.Combine(_folder, "history.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(new HistoryOptions { Path = path }));
        builder.Services.AddSingleton(Options.Create(new IcmpOptions()));
        builder.Services.AddSingleton(new HistoryMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())));
        builder.Services.AddSingleton<HistoryWriter>();
        builder.Services.AddSingleton<LatencyHistory>();

        // Registered first, as the ping job is (AddIcmpProbing comes before AddHistory): so it stops after the roll-ups'
        // own StopAsync, and reports its echoes still in flight while it stops.
        builder.Services.AddHostedService<LastEchoes>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<LatencyHistory>());

        using (var host = builder.Build())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            host.Services.GetRequiredService<LatencyHistory>().Record(Echo(12));
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        using var connection = HistoryFile.Open(path);
        Assert.Equal("2|0|12|15", HistoryFile.Row(connection, "SELECT sum(sent), sum(lost), min(min_ms), max(max_ms) FROM latency_minutes"));
    }

    [Theory]
    [InlineData(5, new[] { 0, 0, 0, 0, 4 })] // the default: five minutes' rows in one commit
    [InlineData(0, new[] { 0, 1, 2, 3, 4 })] // each complete minute at once
    public async Task Complete_minutes_are_written_together_every_latency_write_every(int minutes, int[] rowsAfterEachMinute)
    {
        var path = Path.Combine(_folder, $"batched-{minutes}.db");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new HistoryOptions { Path = path, LatencyWriteEvery = TimeSpan.FromMinutes(minutes) });
        using var writer = new HistoryWriter(options, new HistoryMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())), NullLogger<HistoryWriter>.Instance, clock);
        using var history = new LatencyHistory(writer, options, Options.Create(new IcmpOptions()), clock);

        var seen = new List<int>();
        for (var minute = 0; minute < 5; minute++)
        {
            history.Record(new PingResult(Loopback, (ushort)minute, clock.GetUtcNow(), PingOutcome.Reply, TimeSpan.FromMilliseconds(10)));
            clock.Advance(TimeSpan.FromMinutes(1));
            await history.Upkeep(clock.GetUtcNow(), retention: false);
            Assert.True(await writer.FlushAsync());
            using var connection = HistoryFile.Open(path);
            seen.Add(HistoryFile.Scalar<int>(connection, "SELECT count(*) FROM latency_minutes"));
        }

        Assert.Equal(rowsAfterEachMinute, seen);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static PingResult Echo(double milliseconds) => new(Loopback, 1, DateTimeOffset.UtcNow, PingOutcome.Reply, TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Stands for the ping job: its last reply comes in while it stops.</summary>
    private sealed class LastEchoes(LatencyHistory history) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            history.Record(Echo(15));
            return Task.CompletedTask;
        }
    }
}
