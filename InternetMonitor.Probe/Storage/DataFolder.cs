namespace InternetMonitor.Probe.Storage;

/// <summary>Where the probe keeps its files when <c>Monitor:DataDirectory</c> does not say: a data folder, never the working directory.</summary>
public static class DataFolder
{
    public const string Name = "internet-monitor";

    /// <summary>The data folder of a service run as root.</summary>
    public const string System = "/var/lib/" + Name;

    /// <summary>
    /// The default data folder: <see cref="System"/> as root; for a user <c>$XDG_DATA_HOME/internet-monitor</c>, or
    /// <c>$HOME/.local/share/internet-monitor</c> when that is unset (the XDG Base Directory rules: a relative value
    /// counts as unset). Null when neither variable names an absolute folder.
    /// </summary>
    public static string? Default(Func<string, string?> environment, bool isRoot)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (isRoot)
        {
            return System;
        }

        if (environment("XDG_DATA_HOME") is { } data && Path.IsPathFullyQualified(data))
        {
            return Path.Combine(data, Name);
        }

        return environment("HOME") is { } home && Path.IsPathFullyQualified(home) ? Path.Combine(home, ".local", "share", Name) : null;
    }

    /// <summary>The default data folder of this process (its environment, root or not).</summary>
    public static string? Default() => Default(Environment.GetEnvironmentVariable, Environment.IsPrivilegedProcess);

    /// <summary><paramref name="path"/> made absolute: a relative one against <paramref name="dataDirectory"/> (left as it is without one).</summary>
    public static string Resolve(string? dataDirectory, string path) =>
        string.IsNullOrWhiteSpace(path) || Path.IsPathFullyQualified(path) || string.IsNullOrEmpty(dataDirectory) ? path : Path.GetFullPath(path, dataDirectory);
}
