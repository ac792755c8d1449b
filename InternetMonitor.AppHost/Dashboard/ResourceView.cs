using InternetMonitor.AppHost.Hosting;

namespace InternetMonitor.AppHost.Dashboard;

/// <summary>One resource as the dashboard shows it.</summary>
public sealed record ResourceView(
    string Name,
    string Kind,
    string State,
    string Health,
    int Restarts,
    int? ProcessId,
    string? Program,
    string? Missing,
    IReadOnlyList<EndpointView> Endpoints,
    IReadOnlyList<string> Logs)
{
    public const int LogLines = 50;

    public static ResourceView From(RunningResource running, string host)
    {
        ArgumentNullException.ThrowIfNull(running);
        var lines = running.RecentLines();
        var snapshot = running.Snapshot;
        return new(
            running.Resource.Name,
            running.Resource.Kind.ToString().ToLowerInvariant(),
            snapshot.State.ToString().ToLowerInvariant(),
            running.Program is null ? "-" : snapshot.Healthy switch { true => "healthy", false => "unhealthy", null => "unknown" },
            snapshot.Restarts,
            snapshot.ProcessId,
            running.Program,
            running.Program is null ? ProgramLocator.Hint(running.Resource) : null,
            [.. running.Resource.Endpoints.Select(endpoint => new EndpointView(endpoint.Name, endpoint.Url(host).AbsoluteUri))],
            [.. lines.Skip(Math.Max(0, lines.Count - LogLines))]);
    }
}

public sealed record EndpointView(string Name, string Url);
