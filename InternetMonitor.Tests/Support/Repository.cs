namespace InternetMonitor.Tests.Support;

/// <summary>Files of the repository itself (configuration as code, the README), found from the test's build output.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InternetMonitor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no InternetMonitor.sln above {AppContext.BaseDirectory}");
    }
}
