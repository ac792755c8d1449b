namespace InternetMonitor.Probe.Storage;

/// <summary>Bound from <c>Monitor</c> itself: <c>Monitor:DataDirectory</c>, the folder the probe keeps its files in.</summary>
public sealed class DataFolderOptions
{
    /// <summary>The setting's name under <c>Monitor</c>.</summary>
    public const string Key = "DataDirectory";

    /// <summary>
    /// An absolute path; unset: <see cref="DataFolder.Default()"/> (<c>/var/lib/internet-monitor</c> as root). Relative
    /// paths of the history and the speed-test budget are resolved against it.
    /// </summary>
    public string? DataDirectory { get; set; }
}
