namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// How far one run may go, built from <see cref="SpeedTestOptions"/>. Streams: parallel streams; 0 chooses them
/// (start with one and double while a round at twice the streams is at least <see cref="StreamGain"/> times
/// faster, up to MaxStreams). MaxBytes: the hard limit of body bytes for the whole run, both directions: each
/// direction gets its share and never starts a round that would cross it (what a run uses grows with the line's
/// speed, see <see cref="RoundLadder"/>). RequestDuration: a round that lasts this long measures well, sizes grow
/// until a round lasts that long. DirectionTimeout: time for each direction; a round it cuts off is not counted.
/// StallTimeout: a transfer with no byte moved for this long fails (reason stall).
/// </summary>
public sealed record SpeedTestLimits(
    IReadOnlyList<long> RequestSizes,
    int RequestsPerSize,
    int Streams,
    int MaxStreams,
    long MaxBytes,
    TimeSpan RequestDuration,
    TimeSpan DirectionTimeout,
    TimeSpan StallTimeout,
    int IdleLatencySamples,
    TimeSpan LoadedLatencyInterval)
{
    /// <summary>The least a run needs: one round of the smallest size each way.</summary>
    public long SmallestRunBytes => 2L * RequestSizes[0] * RequestsPerSize;

    /// <summary>Doubling the streams must raise the throughput this much to be kept.</summary>
    public const double StreamGain = 1.2;

    /// <summary>Rounds shorter than this are too noisy to decide the number of streams on.</summary>
    public static readonly TimeSpan StreamTrialMinDuration = TimeSpan.FromMilliseconds(50);

    /// <summary>Loaded-latency samples count only once the load has run this long (the queue has filled).</summary>
    public static readonly TimeSpan LoadWarmUp = TimeSpan.FromMilliseconds(100);

    /// <summary>Sizes do not grow to one whose rounds would be predicted to last longer than this many RequestDurations.</summary>
    public const int MaxGrowth = 4;

    /// <summary>
    /// The next size is at most this many times the current one: speeds measured on short rounds can be far too
    /// high (a shaper lets its burst through at the link's full rate), so sizes may skip ahead but not leap.
    /// </summary>
    public const int MaxStep = 10;

    /// <summary>A size grown past the listed ones must be at least this many times the current one, or growth stops.</summary>
    public const double MinGrowth = 1.5;

    /// <summary>The largest request a grown size asks for (the probe's own server allows this much by default).</summary>
    public const long GrownSizeLimit = 1_000_000_000;
}
