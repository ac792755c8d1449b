using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Gathers every DNS result into one-minute roll-ups per server (<see cref="DnsMinutes"/>) and writes the complete ones
/// every 30 seconds; those still open are written once every service has stopped. Their retention is the latency
/// roll-ups' (<see cref="LatencyHistory"/> deletes both).
/// </summary>
public sealed class DnsHistory(HistoryWriter writer, IOptions<DnsOptions> dns, TimeProvider time) : BackgroundService, IRecorder<DnsResult>, IHostedLifecycleService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);
    private readonly DnsMinutes _minutes = new(dns.Value.Timeout + TimeSpan.FromSeconds(5));

    public void Record(DnsResult result)
    {
        if (writer.Enabled)
        {
            _minutes.Add(result);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_minutes.Take(time.GetUtcNow(), all: true) is { Count: > 0 } rows)
        {
            writer.Write([.. rows]);
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!writer.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_minutes.Take(time.GetUtcNow()) is { Count: > 0 } rows)
                {
                    writer.Write([.. rows]);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping: the open minutes are written once every service has stopped
        }
    }
}
