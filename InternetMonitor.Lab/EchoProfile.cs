namespace InternetMonitor.Lab;

/// <summary>
/// How the lab's responder answers echoes sent to one address: after <see cref="Delay"/>, give or take up to
/// <see cref="Jitter"/> (drawn uniformly from [Delay - Jitter, Delay + Jitter] for each echo), dropping each
/// request with probability <see cref="Loss"/>.
/// </summary>
public sealed record EchoProfile(TimeSpan Delay, TimeSpan Jitter = default, double Loss = 0)
{
    public static EchoProfile Immediate { get; } = new(TimeSpan.Zero);

    /// <summary>The mean absolute difference of two independent delays, E|X - Y| = width / 3 for a uniform
    /// distribution of that width: what an RFC 3550 jitter estimator converges to on this link.</summary>
    public TimeSpan ExpectedJitter => 2 * Jitter / 3;
}
