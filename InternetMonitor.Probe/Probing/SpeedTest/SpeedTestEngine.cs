using System.Diagnostics;
using System.Globalization;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// One speed test, in the manner of the Cloudflare speed test: idle round trips, then for each direction rounds
/// of requests of growing size (each timed from its first byte to its last, so that neither the handshake nor
/// the server's think time counts), with round trips measured alongside the load. Sizes stop growing once a
/// round lasts <see cref="SpeedTestLimits.RequestDuration"/>, or when the next size would take far longer, or
/// when the byte or time budget would be crossed. The speed is <see cref="Throughput.Estimate"/> of the rounds.
/// A fault ends the run with its reason; the direction it hit has no speed.
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
        private readonly long _byteCap = plan.Limits.MaxBytes / budgetShares;
        private readonly List<TransferSample> _samples = [];
        private readonly LoadTracker _load = new();
        private long _used;
        private int _streams = Math.Max(plan.Limits.Streams, 1);

        public async Task<DirectionResult> RunAsync(CancellationToken cancellationToken)
        {
            using var time = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            time.CancelAfter(_limits.DirectionTimeout);
            using var loadedStop = new CancellationTokenSource();
            var loaded = SampleLoadedLatencyAsync(loadedStop.Token, cancellationToken);
            SpeedTestFault? failure = null;
            try
            {
                await GrowAsync(time.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (time.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Out of time: the rounds that finished stand; the one cut off is not counted.
                if (_samples.Count == 0)
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
            if (failure is not null)
            {
                return new DirectionResult(direction, null, [.. _samples], used, _streams, latency, failure.Reason, failure.Message);
            }

            var speed = Throughput.Estimate(_samples);
            return speed is null
                ? new DirectionResult(direction, null, [.. _samples], used, _streams, latency, SpeedTestFailureReason.Error, "no round moved a measurable number of bytes")
                : new DirectionResult(direction, speed, [.. _samples], used, _streams, latency, null, null);
        }

        private async Task GrowAsync(CancellationToken cancellationToken)
        {
            var sizes = _limits.RequestSizes;
            var tryingStreams = _limits.Streams == 0 && _limits.MaxStreams > 1;
            for (var step = 0; step < sizes.Count; step++)
            {
                var size = Size(sizes[step]);
                var longest = TimeSpan.Zero;
                for (var round = 0; round < _limits.RequestsPerSize; round++)
                {
                    if (!Fits(size, _streams))
                    {
                        if (_samples.Count == 0)
                        {
                            throw new SpeedTestFault(SpeedTestFailureReason.Budget, string.Create(CultureInfo.InvariantCulture,
                                $"the {direction.Label()} share of the run's byte cap ({_byteCap} bytes) is smaller than the first request ({size} bytes x {_streams})"));
                        }

                        return;
                    }

                    var sample = await RoundAsync(size, _streams, cancellationToken).ConfigureAwait(false);
                    longest = sample.Duration > longest ? sample.Duration : longest;
                }

                if (tryingStreams && longest >= SpeedTestLimits.StreamTrialMinDuration)
                {
                    tryingStreams = await TryMoreStreamsAsync(size, cancellationToken).ConfigureAwait(false);
                }

                if (longest >= _limits.RequestDuration || step + 1 == sizes.Count)
                {
                    return;
                }

                // A round of the next size would last this long at the speed measured so far.
                var speed = Throughput.Estimate(_samples) ?? 0;
                if (speed > 0 && Size(sizes[step + 1]) * _streams / speed > (_limits.RequestDuration * SpeedTestLimits.MaxGrowth).TotalSeconds)
                {
                    return;
                }
            }
        }

        /// <summary>Doubles the streams while a round at twice as many is clearly faster; false once it is not.</summary>
        private async Task<bool> TryMoreStreamsAsync(long size, CancellationToken cancellationToken)
        {
            while (_streams < _limits.MaxStreams)
            {
                var more = Math.Min(_streams * 2, _limits.MaxStreams);
                var current = Throughput.Estimate([.. _samples.Where(sample => sample.Streams == _streams && sample.RequestBytes == size)]) ?? 0;
                if (!Fits(size, more))
                {
                    return false;
                }

                var trial = await RoundAsync(size, more, cancellationToken).ConfigureAwait(false);
                if (trial.BytesPerSecond < current * SpeedTestLimits.StreamGain)
                {
                    return false;
                }

                _streams = more;
            }

            return false;
        }

        private long Size(long requested) => direction == SpeedTestDirection.Download ? plan.Server.DownloadSize(requested) : requested;

        private bool Fits(long size, int streams) => Interlocked.Read(ref _used) + (size * streams) <= _byteCap;

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
            var sample = new TransferSample(direction, size, streams, results.Sum(result => result.Bytes), window);
            _samples.Add(sample);
            plan.Progress?.Report(new SpeedTestProgress(direction.Phase(), Throughput.Estimate(_samples), null, Interlocked.Read(ref _used), streams, size));
            return sample;
        }

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
