using System.Runtime.InteropServices;
using InternetMonitor.AppHost.Dashboard;
using InternetMonitor.AppHost.Model;
using InternetMonitor.AppHost.Rendering;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// The declared stack, run: checked (a cycle or a port clash stops it before anything starts), its configuration
/// rendered into the state directory, then every resource started in process mode until Ctrl+C or SIGTERM.
/// </summary>
public sealed class StackApp(StackModel model, StackBuilder builder)
{
    public const int ErrorExitCode = 2;

    /// <summary>Something this host holds (a port in use) keeps the stack from starting.</summary>
    public const int StartupErrorExitCode = 3;

    public StackModel Model { get; } = model;

    public async Task<int> RunAsync(TextWriter output, TextWriter error, CancellationToken stopping = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var problems = Model.Validate();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"Invalid stack: {problem}").ConfigureAwait(false);
            }

            return ErrorExitCode;
        }

        using var launcher = new ProcessLauncher();
        var state = Path.GetFullPath(builder.Stack.StateDirectory);
        Directory.CreateDirectory(state);
        var orchestrator = new ProcessOrchestrator(Model, state, builder.Stack.ListenAddress, launcher, output);
        var probe = Model.Resources.Single(resource => resource.Kind == ResourceKind.Project);
        var errors = await StackRendering.RenderAsync(Model, orchestrator.Context, builder.Alerting, probe).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            foreach (var problem in errors)
            {
                await error.WriteLineAsync($"Invalid configuration: {problem}").ConfigureAwait(false);
            }

            return ErrorExitCode;
        }

        var invalid = await ResourceCheck.RunAsync(Model, orchestrator.Context).ConfigureAwait(false);
        if (invalid.Count > 0)
        {
            foreach (var problem in invalid)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            return ErrorExitCode;
        }

        if (!launcher.Guarded)
        {
            await error.WriteLineAsync("setpriv or setsid (util-linux) not found: children will not be stopped if the AppHost is killed hard").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Process mode; state in {state}").ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await using var dashboard = await StartDashboardAsync(orchestrator, error, stop.Token).ConfigureAwait(false);
        if (dashboard is null)
        {
            return StartupErrorExitCode;
        }

        orchestrator.Dashboard = new Uri($"http://{builder.Stack.ListenAddress}:{builder.Stack.Ports.Dashboard}/");
        await orchestrator.RunAsync(stop.Token).ConfigureAwait(false);
        await output.WriteLineAsync("Stopped").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The resource dashboard, or null (said on <paramref name="error"/>) when its port is taken.</summary>
    private async Task<ResourceDashboard?> StartDashboardAsync(ProcessOrchestrator orchestrator, TextWriter error, CancellationToken stopping)
    {
        try
        {
            return await ResourceDashboard.StartAsync(orchestrator, builder.Stack.ListenAddress, builder.Stack.Ports.Dashboard, stopping).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await error.WriteLineAsync($"Cannot start the resource dashboard on port {builder.Stack.Ports.Dashboard}: {exception.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
