using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Tests.Report;

/// <summary>
/// The whole probe in process (its echoes answered by the fake pinger, on loopback) over the history of
/// <see cref="KnownCampaign"/>, with the campaign's plan: started once for a test class, whose tests read it.
/// </summary>
public sealed class KnownCampaignProbe : IAsyncLifetime
{
    private WebApplication? _probe;

    /// <summary>A folder of its own, deleted with it.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("im-report-").FullName;

    /// <summary>Where the probe serves the report and the history.</summary>
    public Uri Address { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var path = Path.Combine(Folder, "history.db");
        KnownCampaign.Write(path);
        _probe = await ProbeHost.StartAsync([$"--Monitor:History:Path={path}", .. KnownCampaign.PlanArguments]);
        Address = ProbeHost.BaseAddress(_probe);
        Http = new HttpClient { BaseAddress = Address };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
