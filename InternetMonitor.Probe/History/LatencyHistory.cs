using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Gathers every echo into one-minute roll-ups per target (<see cref="LatencyMinutes"/>) and writes the complete minutes
/// to the history every <see cref="HistoryOptions.LatencyWriteEvery"/> (on the monotonic clock), in one commit; opens the
/// history at start (so that its health is known from the first second), and deletes roll-ups older than the retention
/// once an hour. When the host has stopped every service (the echoes among them), the minutes not yet written and those
/// still open are written: what was measured of them.
/// </summary>
public sealed class LatencyHistory(HistoryWriter writer, IOptions<HistoryOptions> history, IOptions<IcmpOptions> icmp, TimeProvider time)
    : BackgroundService, IRecorder<PingResult>, IHostedLifecycleService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromHours(1);
    private readonly LatencyMinutes _minutes = new(icmp.Value.Timeout + TimeSpan.FromSeconds(5), time);
    private readonly List<LatencyMinuteRow> _unwritten = [];
    private readonly Lock _unwrittenLock = new();
    private long _lastWrite = time.GetTimestamp();

    public void Record(PingResult result)
    {
        if (writer.Enabled)
        {
            _minutes.Add(result);
        }
    }

    /// <summary>One round of upkeep at <paramref name="now"/>: complete minutes handed to the writer, the retention applied when due.</summary>
    internal async Task Upkeep(DateTimeOffset now, bool retention)
    {
        var rows = _minutes.Take(now);
        LatencyMinuteRow[] due = [];
        lock (_unwrittenLock)
        {
            _unwritten.AddRange(rows);
            if (_unwritten.Count > 0 && time.GetElapsedTime(_lastWrite) >= history.Value.LatencyWriteEvery)
            {
                due = [.. _unwritten];
                _unwritten.Clear();
                _lastWrite = time.GetTimestamp();
            }
        }

        if (due.Length > 0)
        {
            writer.Write(due);
        }

        if (retention)
        {
            await writer.DeleteLatencyBeforeAsync(now - history.Value.Retention).ConfigureAwait(false);
        }
    }

    /// <summary>After every hosted service has stopped (the ping job's last echoes are in), the minutes still open are written.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var open = _minutes.Take(time.GetUtcNow(), all: true); // a partial minute: what was measured of it
        LatencyMinuteRow[] rows;
        lock (_unwrittenLock)
        {
            rows = [.. _unwritten, .. open];
            _unwritten.Clear();
        }

        if (rows.Length > 0)
        {
            writer.Write(rows);
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

        await writer.FlushAsync().ConfigureAwait(false); // opened now: its health known, outages an earlier run left open closed
        long? lastRetention = null; // monotonic: a clock set back must not put the next one off
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            var due = lastRetention is not { } last || time.GetElapsedTime(last) >= RetentionEvery;
            await Upkeep(time.GetUtcNow(), due).ConfigureAwait(false);
            if (due)
            {
                lastRetention = time.GetTimestamp();
            }
        }
        while (await Next(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> Next(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
