using System.Net.Sockets;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Continuous echo to every target at the configured rate, like smokeping_prober or <c>fping -l</c>: a send
/// does not wait for the previous reply, and the targets' sends are spread across the interval.
/// </summary>
public sealed partial class PingJob(
    IPinger prober,
    OpenIcmpChannels openChannels,
    MonitoredTargets targets,
    ResultPublisher<PingResult> publisher,
    IOptions<IcmpOptions> options,
    TimeProvider timeProvider,
    ILogger<PingJob> logger) : BackgroundService
{
    /// <summary>How late the sender may catch up by sending at once; later than this (and a slot), it skips.</summary>
    internal static readonly TimeSpan BurstLimit = TimeSpan.FromMilliseconds(100);

    // Echoes in flight, counted rather than kept in a collection: a shared lock on every send and reply
    // costs more CPU than the echo itself (measured at 100 targets, docs/benchmarks.md).
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _stopping;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<IcmpChannelInfo> channels;
        try
        {
            channels = prober.Open(targets.All.Select(target => target.Address.AddressFamily));
            openChannels.All = channels;
        }
        catch (IcmpUnavailableException exception)
        {
            throw new ProbeStartupException(exception.Message, exception);
        }

        foreach (var channel in channels)
        {
            LogChannel(logger, channel.FamilyName,
                channel.Kind == IcmpSocketKind.Raw ? "a raw socket" : "an unprivileged datagram (ping) socket", channel.Identifier,
                channel.DescribeTimestamps());
        }

        LogTargets(logger, targets.All.Count, options.Value.Interval, string.Join(", ", targets.All));
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _stopping, 1); // a full fence: the last echo's decrement sees it, or we see the zero
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }

        await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One thread sends every echo at its time and goes back to sleep: the replies complete on the reader
        // thread. A timer per target would wake a timer thread and a pool thread for every echo (measured:
        // several times fping's CPU at 100 targets, docs/benchmarks.md).
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new Thread(() =>
        {
            try
            {
                SendForever(stoppingToken);
                done.TrySetResult();
            }
#pragma warning disable CA1031 // Handed to the host, which logs it and stops.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                done.TrySetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = "icmp-sender",
        };
        sender.Start();
        return done.Task;
    }

    /// <summary>
    /// Sends to the targets in turn, spread evenly across the interval (target i at i / n of it), each on its
    /// own fixed-rate schedule. Waits are whole milliseconds, rounded up: a wait handle returns at once for less, so
    /// slots shorter than a millisecond (over a thousand targets a second) would spin a core; the echoes whose
    /// slots have come by the time it wakes go out together. Slots missed by more than <see cref="BurstLimit"/> and a
    /// whole slot (the machine was suspended or starved) are skipped rather than sent late in a burst.
    /// </summary>
    private void SendForever(CancellationToken stoppingToken)
    {
        var all = targets.All;
        var slot = options.Value.Interval / all.Count;
        var start = timeProvider.GetTimestamp();
        for (long k = 0; !stoppingToken.IsCancellationRequested; k++)
        {
            var late = timeProvider.GetElapsedTime(start) - (slot * k);
            if (late < TimeSpan.Zero)
            {
                if (stoppingToken.WaitHandle.WaitOne(WholeMilliseconds(-late)))
                {
                    return;
                }

                // A wait may end early (a signal, a clock library's fault): the slot's time is checked again.
                k--;
                continue;
            }

            if (late > slot && late > BurstLimit)
            {
                k += (long)(late / slot); // skip what was missed
            }

            Interlocked.Increment(ref _inFlight);
            _ = PingOnceAsync(all[(int)(k % all.Count)], k / all.Count, stoppingToken);
        }
    }

    /// <summary><paramref name="wait"/> rounded up to whole milliseconds, at least one.</summary>
    internal static int WholeMilliseconds(TimeSpan wait) => (int)Math.Clamp(Math.Ceiling(wait.TotalMilliseconds), 1, int.MaxValue);

    private async Task PingOnceAsync(PingTarget target, long round, CancellationToken stoppingToken)
    {
        try
        {
            publisher.Publish(await prober.ProbeAsync(target, stoppingToken).ConfigureAwait(false) with { Round = round });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an echo still in flight is neither a reply nor a loss.
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _stopping) == 1)
            {
                _drained.TrySetResult();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ICMP over {Family} uses {SocketKind} (identifier {Identifier}); its RTTs run {Stamps}")]
    private static partial void LogChannel(ILogger logger, string family, string socketKind, ushort identifier, string stamps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pinging {Count} targets every {Interval}: {Targets}")]
    private static partial void LogTargets(ILogger logger, int count, TimeSpan interval, string targets);
}
