namespace InternetMonitor.Tests.Support;

/// <summary>
/// The tests' one way to wait for something: ask again every little while until it holds, and fail, saying what was
/// awaited and what was last seen, once the deadline has passed. No test sleeps to synchronise.
/// </summary>
public static class Poll
{
    /// <summary>How long a test waits for something by default.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Reads with <paramref name="read"/> until <paramref name="done"/> holds for what it read, and returns that.</summary>
    /// <param name="read">Asks for the value now.</param>
    /// <param name="done">Whether the value is the one awaited.</param>
    /// <param name="what">What is awaited, for the failure's message.</param>
    /// <param name="within">The deadline (<see cref="Deadline"/> if not given).</param>
    /// <param name="every">The time between two reads (100 ms if not given).</param>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? within = null, TimeSpan? every = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = within ?? Deadline;
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, value is bool ? $"{what}: not within {deadline.TotalSeconds:0} s" : $"{what}: not within {deadline.TotalSeconds:0} s; last seen: {value}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> done, string what, TimeSpan? within = null, TimeSpan? every = null) =>
        UntilAsync(done, holds => holds, what, within, every);

    /// <summary>Waits until <paramref name="done"/> holds.</summary>
    public static Task UntilAsync(Func<bool> done, string what, TimeSpan? within = null, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(done()), holds => holds, what, within, every);
}
