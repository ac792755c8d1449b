using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>Finds a resource's program: a project's build output, or the first of its names on PATH (or in sbin).</summary>
public static class ProgramLocator
{
    public static string? Find(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Kind == ResourceKind.Project)
        {
            return resource.Programs.Count > 0 && File.Exists(resource.Programs[0]) ? DotnetHost.Path : null;
        }

        return resource.Programs.Select(OnPath).FirstOrDefault(path => path is not null);
    }

    /// <summary>The program's full path on PATH, or in the usual bin and sbin folders; null when it is in none.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>What to do about a missing program, in a few words.</summary>
    public static string Hint(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Kind == ResourceKind.Project ? "build it: dotnet build"
            : resource.Package.Length > 0 ? $"apt install {resource.Package}"
            : "not packaged for Debian: install its upstream release on PATH";
    }

    /// <summary>The one line said when a resource's program is not found.</summary>
    public static string Missing(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Kind == ResourceKind.Project
            ? $"not built: {resource.Programs.FirstOrDefault()} is missing ({Hint(resource)}); the rest comes up without it"
            : $"{string.Join(" or ", resource.Programs)} not found on PATH ({Hint(resource)}); the rest comes up without it";
    }
}
