using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using InternetMonitor.AppHost.Dashboard;
using InternetMonitor.AppHost.Model;
using InternetMonitor.AppHost.Rendering;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// The declared stack, run: checked (a cycle, a port claimed twice or in use, a bad setting of any part stops it with
/// one line each before anything starts), its configuration rendered into the state directory, then every resource
/// started in process mode until Ctrl+C or SIGTERM.
/// </summary>
public sealed class StackApp(StackModel model, StackBuilder builder)
{
    /// <summary>A bad argument or setting.</summary>
    public const int ErrorExitCode = 2;

    /// <summary>Something this host holds (a port in use, a folder it cannot write) keeps the stack from starting.</summary>
    public const int StartupErrorExitCode = 3;

    public StackModel Model { get; } = model;

    public async Task<int> RunAsync(TextWriter output, TextWriter error, CancellationToken stopping = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (await ReportAsync(error, "Invalid stack: ", Model.Validate()).ConfigureAwait(false))
        {
            return ErrorExitCode;
        }

        using var launcher = new ProcessLauncher();
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

        var state = Path.GetFullPath(builder.Stack.StateDirectory);
        ProcessOrchestrator orchestrator;
        try
        {
            Directory.CreateDirectory(state);
            orchestrator = new ProcessOrchestrator(Model, state, builder.Stack.ListenAddress, launcher, output);
            if (await ReportAsync(error, "Invalid configuration: ", await StackRendering.RenderAsync(Model, orchestrator.Context, builder.Alerting).ConfigureAwait(false)).ConfigureAwait(false))
            {
                return ErrorExitCode;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot write the state folder {state}: {exception.Message}").ConfigureAwait(false);
            return StartupErrorExitCode;
        }

        if (await ReportAsync(error, string.Empty, await ResourceCheck.RunAsync(orchestrator.Resources, orchestrator.Context, launcher, stop.Token).ConfigureAwait(false)).ConfigureAwait(false))
        {
            return ErrorExitCode;
        }

        if (await ReportAsync(error, "Cannot start: ", PortsInUse(orchestrator)).ConfigureAwait(false))
        {
            return StartupErrorExitCode;
        }

        if (!launcher.Guarded)
        {
            await error.WriteLineAsync("setpriv or setsid (util-linux) not found: children will not be stopped if the AppHost is killed hard").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Process mode; state in {state}").ConfigureAwait(false);
        await using var dashboard = await StartDashboardAsync(orchestrator, error, stop.Token).ConfigureAwait(false);
        if (dashboard is null)
        {
            return StartupErrorExitCode;
        }

        orchestrator.Dashboard = new Uri($"http://{Endpoint.Address(builder.Stack.DashboardAddress, builder.Stack.Ports.Dashboard)}/");
        await orchestrator.RunAsync(stop.Token).ConfigureAwait(false);
        await output.WriteLineAsync("Stopped").ConfigureAwait(false);
        return 0;
    }

    private static async Task<bool> ReportAsync(TextWriter error, string prefix, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync(prefix + problem).ConfigureAwait(false);
        }

        return problems.Count > 0;
    }

    /// <summary>The ports of the parts that will run, and the dashboard's, that something on this host already holds.</summary>
    private List<string> PortsInUse(ProcessOrchestrator orchestrator)
    {
        var wanted = orchestrator.Resources.Where(running => running.Program is not null)
            .SelectMany(running => running.Resource.Endpoints.Select(endpoint => (What: $"{running.Resource.Name} ({endpoint.Name})", Address: builder.Stack.ListenAddress, endpoint.Port)))
            .Append(("the resource dashboard", builder.Stack.DashboardAddress, builder.Stack.Ports.Dashboard));
        var problems = new List<string>();
        foreach (var (what, address, port) in wanted)
        {
            try
            {
                var ip = IPAddress.Parse(address);
                using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(ip, port));
            }
            catch (SocketException exception)
            {
                problems.Add($"port {port} for {what} on {address}: {exception.Message}");
            }
        }

        return problems;
    }

    /// <summary>The resource dashboard, or null (said on <paramref name="error"/>) when it cannot listen.</summary>
    private async Task<ResourceDashboard?> StartDashboardAsync(ProcessOrchestrator orchestrator, TextWriter error, CancellationToken stopping)
    {
        try
        {
            return await ResourceDashboard.StartAsync(orchestrator, builder.Stack.DashboardAddress, builder.Stack.Ports.Dashboard, stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            await error.WriteLineAsync($"Cannot start the resource dashboard on port {builder.Stack.Ports.Dashboard}: {exception.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
