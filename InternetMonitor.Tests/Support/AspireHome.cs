namespace InternetMonitor.Tests.Support;

/// <summary>
/// The environment of an AppHost a test starts: a HOME of the test's own (Aspire writes ~/.aspire, ~/.aspnet and DCP's
/// cache there, and its temporary folders under it), and the real NuGet folder, so that neither the probe's build nor Aspire's packages are fetched again.
/// </summary>
public static class AspireHome
{
    /// <summary>What the AppHost's launch profile sets for the dashboard, for an AppHost started without `dotnet run`.</summary>
    public static readonly IReadOnlyDictionary<string, string> Dashboard = new Dictionary<string, string>
    {
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:18888",
        ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://127.0.0.1:18889",
        ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://127.0.0.1:18887",
        ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
    };

    public static Dictionary<string, string> Environment(string home) => new()
    {
        ["HOME"] = home,
        // Aspire makes a folder under the temporary one at every start (aspire-pipelines*) and leaves it: here, in HOME.
        ["TMPDIR"] = Directory.CreateDirectory(Path.Combine(home, "tmp")).FullName,
        ["NUGET_PACKAGES"] = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };
}
