using Microsoft.Extensions.Hosting;

namespace InternetMonitor.AppHost.Dashboard;

/// <summary>
/// A lifetime that handles no signal: the dashboard's web host must leave Ctrl+C, SIGTERM and SIGQUIT to the AppHost,
/// which stops the whole stack (the default console lifetime would take them for itself).
/// </summary>
public sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
