namespace InternetMonitor.Tests.Support;

/// <summary>
/// The environment of an AppHost a test starts: a HOME of the test's own (Aspire writes ~/.aspire, ~/.aspnet and DCP's
/// cache there), and the real NuGet folder, so that neither the probe's build nor Aspire's packages are fetched again.
/// </summary>
public static class AspireHome
{
    public static Dictionary<string, string> Environment(string home) => new()
    {
        ["HOME"] = home,
        ["NUGET_PACKAGES"] = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };
}
