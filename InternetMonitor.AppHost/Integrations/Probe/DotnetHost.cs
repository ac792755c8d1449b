using System.Runtime.InteropServices;

namespace InternetMonitor.AppHost.Integrations.Probe;

/// <summary>
/// The <c>dotnet</c> host that runs the probe's build output (its settings check, its publish). Not always the AppHost's own process: under
/// <c>dotnet run</c> the AppHost is its native launcher (<c>InternetMonitor.AppHost</c>), which cannot run another .dll.
/// </summary>
public static class DotnetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        if (Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        // The SDK names the host it runs with; otherwise the runtime's folder sits at DOTNET_ROOT/shared/Microsoft.NETCore.App/<version>/.
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet")),
        };
        return candidates.FirstOrDefault(candidate => candidate is not null && File.Exists(candidate)) ?? "dotnet";
    }
}
