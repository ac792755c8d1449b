using System.Globalization;
using System.Text;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// Process mode: every resource whose program is found runs as a child of the AppHost, started after what it waits
/// for is healthy, supervised until the stack stops, then stopped in the reverse order. A missing program is reported
/// once, with the package that provides it, and the rest comes up without it. Once everything found is healthy, the
/// table of URLs is printed.
/// </summary>
public sealed class ProcessOrchestrator
{
    /// <summary>How long a resource waits for one it depends on before it starts anyway (and says so).</summary>
    public static readonly TimeSpan DependencyTimeout = TimeSpan.FromMinutes(2);

    private readonly StackModel _model;
    private readonly ResourceContext _context;
    private readonly TextWriter _output;
    private readonly ConsoleLog _console;
    private readonly ProcessLauncher _launcher;

    public ProcessOrchestrator(StackModel model, string stateDirectory, string host, ProcessLauncher launcher, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _output = output;
        _launcher = launcher;
        _console = new ConsoleLog(output, model.Resources.Max(resource => resource.Name.Length));
        var available = model.Resources.ToDictionary(resource => resource, resource => ProgramLocator.Find(resource) is not null);
        _context = new ResourceContext(stateDirectory, host, resource => available.GetValueOrDefault(resource));
        Resources = [.. model.StartOrder().Select(resource => new RunningResource(resource, ProgramLocator.Find(resource), launcher, _context, _console))];
    }

    public IReadOnlyList<RunningResource> Resources { get; }

    public ResourceContext Context => _context;

    /// <summary>The resource dashboard's address, first in the table of URLs; null when there is none.</summary>
    public Uri? Dashboard { get; set; }

    public async Task RunAsync(CancellationToken stopping)
    {
        foreach (var missing in Resources.Where(running => running.Program is null))
        {
            _console.Write(missing.Resource.Name, ProgramLocator.Missing(missing.Resource));
        }

        var stops = Resources.ToDictionary(running => running, _ => new CancellationTokenSource());
        var runs = new List<(RunningResource Resource, Task Run)>();
        try
        {
            foreach (var running in Resources)
            {
                await WaitForDependenciesAsync(running, stopping).ConfigureAwait(false);
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                runs.Add((running, running.RunAsync(stops[running].Token)));
            }

            if (!stopping.IsCancellationRequested)
            {
                await Task.WhenAny(Task.WhenAll(Resources.Select(running => running.Settled)), Task.Delay(Timeout.Infinite, stopping)).ConfigureAwait(false);
            }

            if (!stopping.IsCancellationRequested)
            {
                await _output.WriteAsync(UrlTable()).ConfigureAwait(false);
                await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: stop below.
        }
        finally
        {
            // The reverse of the start order: what others depend on stops last.
            foreach (var (running, run) in Enumerable.Reverse(runs))
            {
                await stops[running].CancelAsync().ConfigureAwait(false);
                await run.ConfigureAwait(false);
            }

            foreach (var stop in stops.Values)
            {
                stop.Dispose();
            }
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
            var where = running.Resource.Http is { } http ? http.Url(_context.Host).AbsoluteUri : "-";
            var state = running.Program is null ? $"missing ({ProgramLocator.Hint(running.Resource)})" : running.State.ToString().ToLowerInvariant();
            text.Append(CultureInfo.InvariantCulture, $"  {running.Resource.Name.PadRight(width)}  {where,-28}  {state}\n");
        }

        return text.Append('\n').ToString();
    }

    private async Task WaitForDependenciesAsync(RunningResource running, CancellationToken stopping)
    {
        foreach (var dependency in running.Resource.WaitsFor)
        {
            var other = Resources.Single(candidate => candidate.Resource == dependency);
            var settled = await Task.WhenAny(other.Settled, Task.Delay(DependencyTimeout, stopping)).ConfigureAwait(false);
            if (settled != other.Settled && !stopping.IsCancellationRequested)
            {
                _console.Write(running.Resource.Name, $"{dependency.Name} is not healthy after {DependencyTimeout.TotalSeconds:0} s; starting anyway");
            }
        }
    }
}
