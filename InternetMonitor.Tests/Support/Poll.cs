using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The tests' one way to wait for something: the lab's <see cref="Polling"/>, stopped with the test. No test sleeps
/// to synchronise.
/// </summary>
public static class Poll
{
    /// <summary>How long a test waits for something by default.</summary>
    public static TimeSpan Deadline => Polling.Deadline;

    /// <summary>Reads with <paramref name="read"/> until <paramref name="done"/> holds for what it read, and returns that.</summary>
    /// <param name="read">Asks for the value now.</param>
    /// <param name="done">Whether the value is the one awaited.</param>
    /// <param name="what">What is awaited, for the failure's message.</param>
    /// <param name="within">The deadline (<see cref="Deadline"/> if not given).</param>
    /// <param name="every">The time between two reads (100 ms if not given).</param>
    /// <param name="gaveUp">Why waiting longer is pointless (a program under test has exited), or null to go on.</param>
    /// <param name="explain">What the failure's message shows of the last value (its text if not given).</param>
    public static Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? within = null, TimeSpan? every = null,
        Func<string?>? gaveUp = null, Func<T, Task<string>>? explain = null) =>
        Polling.UntilAsync(read, done, what, within, every, gaveUp, explain, TestContext.Current.CancellationToken);

    /// <summary>Waits until <paramref name="done"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> done, string what, TimeSpan? within = null, TimeSpan? every = null, Func<string?>? gaveUp = null) =>
        UntilAsync(done, holds => holds, what, within, every, gaveUp);

    /// <summary>Waits until <paramref name="done"/> holds.</summary>
    public static Task UntilAsync(Func<bool> done, string what, TimeSpan? within = null, TimeSpan? every = null, Func<string?>? gaveUp = null) =>
        UntilAsync(() => Task.FromResult(done()), holds => holds, what, within, every, gaveUp);

    /// <summary>Whether <paramref name="done"/> comes to hold within <paramref name="within"/> (see <see cref="Polling.HoldsAsync"/>).</summary>
    public static Task<bool> HoldsAsync(Func<Task<bool>> done, TimeSpan within, TimeSpan? every = null, Func<string?>? gaveUp = null) =>
        Polling.HoldsAsync(done, within, every, gaveUp, TestContext.Current.CancellationToken);
}
