using System.Diagnostics;
using System.Globalization;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// One speed test, in the manner of the Cloudflare speed test: idle round trips, then for each direction rounds
/// of requests of growing size (each timed from its first byte to its last, so that neither the handshake nor
/// the server's think time counts), with round trips measured alongside the load. <see cref="RoundLadder"/> grows
/// the sizes with the speed measured so far until a round lasts <see cref="SpeedTestLimits.RequestDuration"/>,
/// within the direction's share of <see cref="SpeedTestLimits.MaxBytes"/> and its time budget. The speed is
/// <see cref="Throughput.Estimate"/> of the rounds. A fault ends the run with its reason; the direction it hit has
/// no speed.
/// </summary>
public sealed class SpeedTestEngine(TimeProvider timeProvider) : IProber<SpeedTestPlan, SpeedTestResult>
{
    public async Task<SpeedTestResult> ProbeAsync(SpeedTestPlan target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var server = target.Server;
        var start = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        using var client = new TransferClient(server, target.Limits.StallTimeout);

        // The wall clock names the start; the end is the start plus the run's length on the monotonic clock, so that a
        // step of the wall clock during a run gives it neither a negative nor a year-long duration (docs/time.md).
        SpeedTestResult Result(LatencySummary idle, DirectionResult? download, DirectionResult? upload, string? reason, SpeedTestPhase? phase, string? detail) =>
            new(server.Name, server.Type, start, start + timeProvider.GetElapsedTime(started), idle, download, upload, reason, phase, detail);

        LatencySummary idle;
        try
        {
            idle = await IdleLatencyAsync(client, target, cancellationToken).ConfigureAwait(false);
        }
        catch (SpeedTestFault fault)
        {
            return Result(LatencySummary.None, null, null, fault.Reason, SpeedTestPhase.Latency, fault.Message);
        }

        var download = await new DirectionRun(SpeedTestDirection.Download, client, target, server.CanUpload ? 2 : 1).RunAsync(cancellationToken).ConfigureAwait(false);
        if (!download.Succeeded)
        {
            return Result(idle, download, null, download.Reason, SpeedTestPhase.Download, download.Detail);
        }

        if (!server.CanUpload)
        {
            return Result(idle, download, null, null, null, null);
        }

        var upload = await new DirectionRun(SpeedTestDirection.Upload, client, target, 2).RunAsync(cancellationToken).ConfigureAwait(false);
        return upload.Succeeded
            ? Result(idle, download, upload, null, null, null)
            : Result(idle, download, upload, upload.Reason, SpeedTestPhase.Upload, upload.Detail);
    }

    private static async Task<LatencySummary> IdleLatencyAsync(TransferClient client, SpeedTestPlan plan, CancellationToken cancellationToken)
    {
        // The first request opens the connection (and its TLS session): not a round trip on a warm connection.
        await client.RoundTripAsync(cancellationToken).ConfigureAwait(false);
        var samples = new List<TimeSpan>(plan.Limits.IdleLatencySamples);
        for (var i = 0; i < plan.Limits.IdleLatencySamples; i++)
        {
            var rtt = await client.RoundTripAsync(cancellationToken).ConfigureAwait(false);
            samples.Add(rtt);
            plan.Progress?.Report(new SpeedTestProgress(SpeedTestPhase.Latency, null, rtt, 0, 0, 0));
        }

        return new LatencySummary(samples);
    }

    /// <summary>One direction: its rounds, its streams, its share of the byte budget, its loaded round trips.</summary>
    private sealed class DirectionRun(SpeedTestDirection direction, TransferClient client, SpeedTestPlan plan, int budgetShares)
    {
        private readonly SpeedTestLimits _limits = plan.Limits;
        private readonly LoadTracker _load = new();
        private RoundLadder? _ladder;
        private long _used;

        private IReadOnlyList<TransferSample> Samples => _ladder?.Samples ?? [];

        public async Task<DirectionResult> RunAsync(CancellationToken cancellationToken)
        {
            using var time = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            time.CancelAfter(_limits.DirectionTimeout);
            using var loadedStop = new CancellationTokenSource();
            var loaded = SampleLoadedLatencyAsync(loadedStop.Token, cancellationToken);
            SpeedTestFault? failure = null;
            // A plain file is as large as it is: sizes past the listed ones would only read it again.
            _ladder = new RoundLadder(direction, _limits, _limits.MaxBytes / budgetShares, Size, () => Interlocked.Read(ref _used), RoundAsync,
                growsPastList: plan.Server.Type != SpeedTestServerType.Url, finished: Reported);
            try
            {
                await _ladder.RunAsync(time.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (time.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Out of time: the rounds that finished stand; the one cut off is not counted.
                if (Samples.Count == 0)
                {
                    failure = new SpeedTestFault(SpeedTestFailureReason.Timeout, string.Create(CultureInfo.InvariantCulture,
                        $"no {direction.Label()} request completed within {_limits.DirectionTimeout.TotalSeconds:0.###} s: the server is slower than the time budget"));
                }
            }
            catch (SpeedTestFault fault)
            {
                failure = fault;
            }
            finally
            {
                await loadedStop.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                // Bytes past a response's announced end may arrive after its last read: looked for once more here.
                if (failure is null)
                {
                    client.EnsureFramed();
                }
            }
            catch (SpeedTestFault fault)
            {
                failure = fault;
            }

            var latency = new LatencySummary(await loaded.ConfigureAwait(false));
            var used = Interlocked.Read(ref _used);
            var streams = _ladder.Streams;
            if (failure is not null)
            {
                return new DirectionResult(direction, null, [.. Samples], used, streams, latency, failure.Reason, failure.Message);
            }

            var speed = Throughput.Estimate(Samples);
            return speed is null
                ? new DirectionResult(direction, null, [.. Samples], used, streams, latency, SpeedTestFailureReason.Error, "no round moved a measurable number of bytes")
                : new DirectionResult(direction, speed, [.. Samples], used, streams, latency, null, null);
        }

        private long Size(long requested) => direction == SpeedTestDirection.Download ? plan.Server.DownloadSize(requested) : requested;

        /// <summary><paramref name="streams"/> requests at once; the first fault cancels the others and ends the direction.</summary>
        private async Task<TransferSample> RoundAsync(long size, int streams, CancellationToken cancellationToken)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
#pragma warning disable CA2025 // Every transfer has completed (WhenAll below) before the round's token source is disposed.
            var transfers = Enumerable.Range(0, streams).Select(_ => TransferAsync(size, round)).ToArray();
#pragma warning restore CA2025
            try
            {
                await Task.WhenAll(transfers).ConfigureAwait(false);
            }
            catch (Exception) when (transfers.Select(task => task.Exception?.InnerException).OfType<SpeedTestFault>().FirstOrDefault() is { } fault)
            {
                throw fault;
            }

            client.EnsureFramed();
            var results = transfers.Select(task => task.Result).ToArray();
            var window = Stopwatch.GetElapsedTime(results.Min(result => result.Start), results.Max(result => result.End));
            return new TransferSample(direction, size, streams, results.Sum(result => result.Bytes), window);
        }

        private void Reported(TransferSample sample) =>
            plan.Progress?.Report(new SpeedTestProgress(direction.Phase(), Throughput.Estimate(Samples), null, Interlocked.Read(ref _used), sample.Streams, sample.RequestBytes));

        private async Task<TimedTransfer> TransferAsync(long size, CancellationTokenSource round)
        {
            _load.Begin();
            try
            {
                void Moved(int count) => Interlocked.Add(ref _used, count);
                return direction == SpeedTestDirection.Download
                    ? await client.DownloadAsync(size, Moved, round.Token).ConfigureAwait(false)
                    : await client.UploadAsync(size, Moved, round.Token).ConfigureAwait(false);
            }
            catch
            {
                await round.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                _load.End();
            }
        }

        /// <summary>Round trips every LoadedLatencyInterval while the transfers have warmed the line up, until stopped.</summary>
        private async Task<List<TimeSpan>> SampleLoadedLatencyAsync(CancellationToken stop, CancellationToken cancellationToken)
        {
            var samples = new List<TimeSpan>();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_limits.LoadedLatencyInterval, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (!_load.IsWarm(SpeedTestLimits.LoadWarmUp))
                {
                    continue;
                }

                // A sample that started under load is kept even if the load ends before it: the queue it waited in was real.
                try
                {
                    samples.Add(await client.RoundTripAsync(cancellationToken).ConfigureAwait(false));
                }
                catch (SpeedTestFault)
                {
                    // A round trip lost under load is not a failed speed test; the transfers report their own faults.
                }
            }

            return samples;
        }
    }
}
