namespace InternetMonitor.Tests.Support;

/// <summary>
/// Held while a test builds the probe's projects: a publish of the probe (scripts/publish-probe.sh), or the AppHost's
/// publish, whose step builds the probe's image. Two at once, even for two runtimes, write the same bin/ and obj/ folders
/// of the projects they share (ServiceDefaults), and one finds the other's files gone.
/// </summary>
public static class ProbeBuild
{
    public static SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>Runs <paramref name="build"/> holding <see cref="Lock"/>.</summary>
    public static async Task<T> OneAtATimeAsync<T>(Func<Task<T>> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        await Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            return await build().ConfigureAwait(false);
        }
        finally
        {
            Lock.Release();
        }
    }
}
