using System.Globalization;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// The rounds of one direction, whatever moves their bytes: which size and how many streams come next, until a
/// round lasts <see cref="SpeedTestLimits.RequestDuration"/>, the next size would take far longer, or the byte cap is
/// reached (<see cref="NextSize"/> is the growth rule). The round itself is the caller's (<c>round</c>: move
/// <c>size</c> bytes on each of <c>streams</c> requests at once and time them), so that the rule runs on a fake line
/// in tests; <c>growsPastList</c> is false for a server whose content is as large as it is (a file); <c>used</c> reads every body byte moved so far, cut-off requests included; <c>finished</c> hears of each
/// round once it is in <see cref="Samples"/>.
/// </summary>
internal sealed class RoundLadder(
    SpeedTestDirection direction,
    SpeedTestLimits limits,
    long byteCap,
    Func<long, long> serverSize,
    Func<long> used,
    Func<long, int, CancellationToken, Task<TransferSample>> round,
    bool growsPastList = true,
    Action<TransferSample>? finished = null)
{
    private readonly List<TransferSample> _samples = [];

    /// <summary>The rounds timed so far, in order (stream trials included).</summary>
    public IReadOnlyList<TransferSample> Samples => _samples;

    /// <summary>Parallel streams of the rounds to come (and of the last one).</summary>
    public int Streams { get; private set; } = Math.Max(limits.Streams, 1);

    public long ByteCap => byteCap;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var listed = limits.RequestSizes.Select(serverSize).Distinct().Order().ToList();
        var tryingStreams = limits.Streams == 0 && limits.MaxStreams > 1;
        var size = listed[0];
        long previous = 0;
        while (true)
        {
            var (longest, complete) = await SizeRoundsAsync(size, previous, listed, cancellationToken).ConfigureAwait(false);
            if (!complete)
            {
                return;
            }

            if (tryingStreams && longest >= SpeedTestLimits.StreamTrialMinDuration)
            {
                tryingStreams = await TryMoreStreamsAsync(size, cancellationToken).ConfigureAwait(false);
            }

            if (longest >= limits.RequestDuration
                || NextSize(listed, size, Throughput.Estimate(_samples) ?? 0, Streams, limits.RequestDuration, growsPastList) is not { } next)
            {
                return;
            }

            previous = size;
            size = serverSize(next);
        }
    }

    /// <summary>
    /// The size after <paramref name="current"/>, or null to stop. The candidates are the listed sizes above it and,
    /// past the list, a grown size: what one stream moves in <paramref name="requestDuration"/> at
    /// <paramref name="speed"/> (whole megabytes, at most <see cref="SpeedTestLimits.MaxStep"/> times the current size
    /// and <see cref="SpeedTestLimits.GrownSizeLimit"/>, and only when it is at least
    /// <see cref="SpeedTestLimits.MinGrowth"/> times the current size; not when <paramref name="grow"/> is false). The next size is the largest candidate within
    /// MaxStep times the current one whose round would last no longer than RequestDuration at that speed (listed
    /// sizes it passes are skipped: their rounds would be short), else the smallest candidate; none when that one
    /// would last more than <see cref="SpeedTestLimits.MaxGrowth"/> RequestDurations.
    /// </summary>
    internal static long? NextSize(IReadOnlyList<long> listed, long current, double speed, int streams, TimeSpan requestDuration, bool grow = true)
    {
        var candidates = listed.Where(size => size > current).ToList();
        if (grow && speed > 0)
        {
            var perStream = speed * requestDuration.TotalSeconds / streams;
            var grown = (long)Math.Min(Math.Ceiling(perStream / 1e6) * 1e6, Math.Min(SpeedTestLimits.GrownSizeLimit, (double)current * SpeedTestLimits.MaxStep));
            if (grown > listed[^1] && grown >= current * SpeedTestLimits.MinGrowth)
            {
                candidates.Add(grown);
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        if (speed <= 0)
        {
            return candidates[0];
        }

        double Seconds(long size) => (double)size * streams / speed;
        var reach = candidates.LastOrDefault(size => size <= current * SpeedTestLimits.MaxStep && Seconds(size) <= requestDuration.TotalSeconds);
        var next = reach > 0 ? reach : candidates[0];
        return Seconds(next) > (requestDuration * SpeedTestLimits.MaxGrowth).TotalSeconds ? null : next;
    }

    /// <summary>
    /// RequestsPerSize rounds of <paramref name="size"/>; false when the byte cap ended them. When the cap cannot hold
    /// them all, what is left of it is shared by as many rounds as it holds (up to RequestsPerSize), each at least
    /// <see cref="SpeedTestLimits.MinGrowth"/> times the size measured before and at most <paramref name="size"/>: the
    /// last rounds then spend the cap on the longest rounds it allows.
    /// </summary>
    private async Task<(TimeSpan Longest, bool Complete)> SizeRoundsAsync(long size, long previous, IReadOnlyList<long> listed, CancellationToken cancellationToken)
    {
        var rounds = limits.RequestsPerSize;
        var complete = Fits(size * rounds, Streams);
        if (!complete)
        {
            if (_samples.Count == 0 && !Fits(size, Streams))
            {
                throw new SpeedTestFault(SpeedTestFailureReason.Budget, string.Create(CultureInfo.InvariantCulture,
                    $"the {direction.Label()} share of the run's byte cap ({byteCap} bytes) is smaller than the first request ({size} bytes x {Streams})"));
            }

            var perStream = (byteCap - used()) / Streams;
            var smallest = Math.Max((long)Math.Ceiling(previous * SpeedTestLimits.MinGrowth), 1);
            rounds = (int)Math.Min(rounds, perStream / smallest);
            size = rounds == 0 ? 0 : serverSize(Math.Min(size, perStream / rounds));
        }

        var longest = TimeSpan.Zero;
        for (var count = 0; count < rounds && Fits(size, Streams); count++)
        {
            if (await SizeRoundAsync(size, listed, cancellationToken).ConfigureAwait(false) is not { } sample)
            {
                return (longest, false);
            }

            longest = sample.Duration > longest ? sample.Duration : longest;
        }

        return (longest, complete);
    }

    /// <summary>
    /// One round; a server that refuses a size past the listed ones (a status error, such as 413 for too large a
    /// request) ends the growth instead of the run: null, and the rounds so far stand.
    /// </summary>
    private async Task<TransferSample?> SizeRoundAsync(long size, IReadOnlyList<long> listed, CancellationToken cancellationToken)
    {
        try
        {
            return await RoundAsync(size, Streams, cancellationToken).ConfigureAwait(false);
        }
        catch (SpeedTestFault fault) when (fault.Reason == SpeedTestFailureReason.Status && size > listed[^1] && _samples.Count > 0)
        {
            return null;
        }
    }

    /// <summary>Doubles the streams while a round at twice as many is clearly faster; false once it is not.</summary>
    private async Task<bool> TryMoreStreamsAsync(long size, CancellationToken cancellationToken)
    {
        while (Streams < limits.MaxStreams)
        {
            var more = Math.Min(Streams * 2, limits.MaxStreams);
            var current = Throughput.Estimate([.. _samples.Where(sample => sample.Streams == Streams && sample.RequestBytes == size)]) ?? 0;
            if (!Fits(size, more))
            {
                return false;
            }

            var trial = await RoundAsync(size, more, cancellationToken).ConfigureAwait(false);
            if (trial.BytesPerSecond < current * SpeedTestLimits.StreamGain)
            {
                return false;
            }

            Streams = more;
        }

        return false;
    }

    private bool Fits(long size, int streams) => used() + (size * streams) <= byteCap;

    private async Task<TransferSample> RoundAsync(long size, int streams, CancellationToken cancellationToken)
    {
        var sample = await round(size, streams, cancellationToken).ConfigureAwait(false);
        _samples.Add(sample);
        finished?.Invoke(sample);
        return sample;
    }
}
