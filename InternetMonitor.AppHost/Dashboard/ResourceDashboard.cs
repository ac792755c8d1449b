using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InternetMonitor.AppHost.Dashboard;

/// <summary>What the dashboard shows: every resource of the stack, in process or container mode.</summary>
public interface IResourceViews
{
    IReadOnlyList<ResourceView> Views();
}

/// <summary>
/// Where the Aspire dashboard would stand: a page listing every resource with its state, health, restarts, endpoints as
/// links and its recent log lines (<c>/</c>, refreshed every 2 s from <c>/api/resources</c>). Read-only.
/// </summary>
public sealed class ResourceDashboard : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResourceDashboard(WebApplication app) => _app = app;

    public static async Task<ResourceDashboard> StartAsync(IResourceViews orchestrator, string host, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{Model.Endpoint.Address(host, port)}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        var app = builder.Build();
        var page = Page();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/api/resources", () => Results.Json(orchestrator.Views()));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ResourceDashboard(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private static string Page()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("InternetMonitor.AppHost.Dashboard.index.html")
            ?? throw new InvalidOperationException("the dashboard's page is not embedded in the AppHost");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
