namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Once the host has started, collects what start-up left behind (configuration, dependency injection, the
/// web server) and gives that memory back to the system. A monitor allocates little afterwards, so without
/// this the start-up garbage would stay resident until the first collection, which can be hours away.
/// </summary>
internal sealed class StartupGarbageCollection : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        MemoryReturn.ReturnNow();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
