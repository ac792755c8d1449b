using System.Globalization;
using System.Text;
using InternetMonitor.AppHost.Dashboard;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// Process mode: every resource whose program is found runs as a child of the AppHost, each started as soon as what
/// it waits for is healthy, supervised until the stack stops, then all stopped together. A missing program is
/// reported once, with what provides it, and the rest comes up without it. Once everything found is healthy, the
/// table of URLs is printed.
/// </summary>
public sealed class ProcessOrchestrator : IResourceViews
{
    /// <summary>How long a resource waits for one it depends on before it starts anyway (and says so).</summary>
    public static readonly TimeSpan DependencyTimeout = TimeSpan.FromMinutes(2);

    private readonly TextWriter _output;
    private readonly ConsoleLog _console;
    private readonly TimeProvider _time;

    public ProcessOrchestrator(StackModel model, string stateDirectory, string host, ProcessLauncher launcher, TextWriter output, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _output = output;
        _time = time ?? TimeProvider.System;
        _console = new ConsoleLog(output, model.Resources.Max(resource => resource.Name.Length));
        var programs = model.Resources.ToDictionary(resource => resource, ProgramLocator.Find);
        Context = new ResourceContext(stateDirectory, host, resource => programs.GetValueOrDefault(resource) is not null);
        Resources = [.. model.StartOrder().Select(resource => new RunningResource(resource, programs[resource], launcher, Context, _console, time))];
    }

    public IReadOnlyList<RunningResource> Resources { get; }

    public ResourceContext Context { get; }

    public IReadOnlyList<ResourceView> Views() => [.. Resources.Select(running => ResourceView.From(running, Context.Host))];

    /// <summary>The resource dashboard's address, first in the table of URLs; null when there is none.</summary>
    public Uri? Dashboard { get; set; }

    public async Task RunAsync(CancellationToken stopping)
    {
        foreach (var missing in Resources.Where(running => running.Program is null))
        {
            _console.Write(missing.Resource.Name, ProgramLocator.Missing(missing.Resource));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var runs = Resources.Select(running => StartWhenReadyAsync(running, stop.Token)).ToList();
        try
        {
            await Task.WhenAny(Task.WhenAll(Resources.Select(running => running.Settled)), Task.Delay(Timeout.Infinite, stopping)).ConfigureAwait(false);
            if (!stopping.IsCancellationRequested)
            {
                _console.WriteBlock(UrlTable());
                await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: stop below.
        }
        finally
        {
            // Every part at once: each gets SIGTERM, then SIGKILL after its grace; none waits for another.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
    }

    /// <summary>The table printed once the stack is up (the old project's <c>make urls</c>).</summary>
    public string UrlTable()
    {
        var text = new StringBuilder("\nInternet Monitor is up:\n");
        var width = Math.Max("dashboard".Length, Resources.Max(running => running.Resource.Name.Length));
        if (Dashboard is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {"dashboard".PadRight(width)}  {Dashboard.AbsoluteUri,-28}  resources, states and logs\n");
        }

        foreach (var running in Resources)
        {
            var where = running.Resource.Http is not null ? Context.Url(running.Resource).AbsoluteUri : "-";
            var state = running.Program is null ? $"missing ({ProgramLocator.Hint(running.Resource)})" : running.Snapshot.State.ToString().ToLowerInvariant();
            text.Append(CultureInfo.InvariantCulture, $"  {running.Resource.Name.PadRight(width)}  {where,-28}  {state}\n");
        }

        return text.Append('\n').ToString();
    }

    private async Task StartWhenReadyAsync(RunningResource running, CancellationToken stopping)
    {
        foreach (var dependency in running.Resource.WaitsFor)
        {
            var other = Resources.Single(candidate => candidate.Resource == dependency);
            var settled = await Task.WhenAny(other.Settled, Task.Delay(DependencyTimeout, _time, stopping)).ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            if (settled != other.Settled)
            {
                _console.Write(running.Resource.Name, $"{dependency.Name} is not healthy after {DependencyTimeout.TotalSeconds:0} s; starting anyway");
            }
        }

        await running.RunAsync(stopping).ConfigureAwait(false);
    }
}
