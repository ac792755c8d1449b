namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>Finds a part's program on PATH, or in the usual bin and sbin folders (Debian puts some in sbin).</summary>
public static class ProgramLocator
{
    /// <summary>The first of <paramref name="programs"/> found, as a full path; null when none is.</summary>
    public static string? Find(IEnumerable<string> programs) => programs.Select(OnPath).FirstOrDefault(path => path is not null);

    /// <summary>The program's full path, or null when it is in none of the folders.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
