namespace InternetMonitor.Lab;

/// <summary>
/// The one way the lab and the tests wait for something: ask again every little while until it holds, and throw,
/// saying what was awaited and what was last seen, once the deadline has passed or the thing awaited can no longer
/// come (the program that would show it has ended).
/// </summary>
public static class Polling
{
    /// <summary>How long a wait lasts when none is given.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Reads with <paramref name="read"/> until <paramref name="done"/> holds for what it read, and returns that.</summary>
    /// <param name="read">Asks for the value now.</param>
    /// <param name="done">Whether the value is the one awaited.</param>
    /// <param name="what">What is awaited, for the failure's message.</param>
    /// <param name="within">The deadline (<see cref="Deadline"/> if not given).</param>
    /// <param name="every">The time between two reads (100 ms if not given).</param>
    /// <param name="gaveUp">
    /// Why waiting longer is pointless (a program has exited), or null to go on; asked after each read that did not
    /// satisfy <paramref name="done"/>, so that the last read still counts.
    /// </param>
    /// <param name="explain">What the failure's message shows of the last value (its text if not given; nothing for a bool).</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="LabException">The deadline passed or <paramref name="gaveUp"/> named a reason.</exception>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> read,
        Func<T, bool> done,
        string what,
        TimeSpan? within = null,
        TimeSpan? every = null,
        Func<string?>? gaveUp = null,
        Func<T, Task<string>>? explain = null,
        CancellationToken cancellationToken = default)
    {
        var deadline = within ?? Deadline;
        var (held, value, reason) = await LoopAsync(read, done, deadline, every, gaveUp, cancellationToken).ConfigureAwait(false);
        return held ? value
            : throw new LabException($"{what}: {reason ?? $"not within {deadline.TotalSeconds:0.##} s"}{await SeenAsync(value, explain).ConfigureAwait(false)}");
    }

    /// <summary>Waits until <paramref name="done"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> done, string what, TimeSpan? within = null, TimeSpan? every = null, Func<string?>? gaveUp = null, CancellationToken cancellationToken = default) =>
        UntilAsync(done, holds => holds, what, within, every, gaveUp, null, cancellationToken);

    /// <summary>
    /// Whether <paramref name="done"/> comes to hold within <paramref name="within"/>: false, rather than a failure, once
    /// the deadline has passed or <paramref name="gaveUp"/> names a reason; for a start that is tried again (another port).
    /// </summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> done, TimeSpan within, TimeSpan? every = null, Func<string?>? gaveUp = null, CancellationToken cancellationToken = default) =>
        (await LoopAsync(done, holds => holds, within, every, gaveUp, cancellationToken).ConfigureAwait(false)).Held;

    private static async Task<(bool Held, T Value, string? Reason)> LoopAsync<T>(
        Func<Task<T>> read, Func<T, bool> done, TimeSpan within, TimeSpan? every, Func<string?>? gaveUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var value = await read().ConfigureAwait(false);
            if (done(value))
            {
                return (true, value, null);
            }

            if (gaveUp?.Invoke() is { } reason)
            {
                return (false, value, reason);
            }

            if (DateTime.UtcNow >= until)
            {
                return (false, value, null);
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> SeenAsync<T>(T value, Func<T, Task<string>>? explain) =>
        explain is not null ? $"; {await explain(value).ConfigureAwait(false)}"
        : value is bool or null ? string.Empty
        : $"; last seen: {value}";
}
