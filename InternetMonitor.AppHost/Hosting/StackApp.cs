using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using InternetMonitor.AppHost.Containers;
using InternetMonitor.AppHost.Dashboard;
using InternetMonitor.AppHost.Model;
using InternetMonitor.AppHost.Publishing;
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

        if (builder.Publish is { } publish)
        {
            return await PublishAsync(publish, output, error, stopping).ConfigureAwait(false);
        }

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

        // Container mode where a Docker engine answers and a compose command is installed; else process mode.
        var mode = builder.Mode;
        var compose = mode == StackMode.Process ? null : await ComposeCli.FindAsync(ComposeDirectory, stop.Token).ConfigureAwait(false);
        if (mode == StackMode.Auto)
        {
            var engine = await ComposeCli.EngineAnswersAsync(stop.Token).ConfigureAwait(false);
            mode = engine && compose is not null ? StackMode.Container : StackMode.Process;
            if (engine && compose is null)
            {
                await output.WriteLineAsync("A Docker engine answers, but neither docker compose nor docker-compose is installed: process mode").ConfigureAwait(false);
            }
        }

        return mode == StackMode.Container
            ? await RunContainersAsync(compose, output, error, stop.Token).ConfigureAwait(false)
            : await RunProcessesAsync(output, error, stop).ConfigureAwait(false);
    }

    /// <summary>Process mode: the parts that have a program here, as children of this process.</summary>
    private async Task<int> RunProcessesAsync(TextWriter output, TextWriter error, CancellationTokenSource stop)
    {
        using var launcher = new ProcessLauncher();
        var processes = new StackModel([.. Model.Resources.Where(resource => resource.Kind != ResourceKind.Container)]);
        var state = Path.GetFullPath(builder.Stack.StateDirectory);
        ProcessOrchestrator orchestrator;
        try
        {
            Directory.CreateDirectory(state);
            orchestrator = new ProcessOrchestrator(processes, state, builder.Stack.ListenAddress, launcher, output);
            if (await ReportAsync(error, "Invalid configuration: ", await StackRendering.RenderAsync(processes, orchestrator.Context, builder.Alerting).ConfigureAwait(false)).ConfigureAwait(false))
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

        var wanted = orchestrator.Resources.Where(running => running.Program is not null).Select(running => running.Resource);
        if (await ReportAsync(error, "Cannot start: ", PortsInUse(wanted, builder.Stack.ListenAddress)).ConfigureAwait(false))
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
            return stop.IsCancellationRequested ? 0 : StartupErrorExitCode;
        }

        orchestrator.Dashboard = new Uri($"http://{Endpoint.Address(builder.Stack.DashboardAddress, builder.Stack.Ports.Dashboard)}/");
        await orchestrator.RunAsync(stop.Token).ConfigureAwait(false);
        await output.WriteLineAsync("Stopped").ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>publish --output DIR</c>: the compose project, for an operator to copy and run.</summary>
    private async Task<int> PublishAsync(PublishRequest publish, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        var directory = Path.GetFullPath(publish.Output);
        if (await SettingsRefusedAsync(error, stopping).ConfigureAwait(false))
        {
            return ErrorExitCode;
        }

        IReadOnlyList<string> problems;
        try
        {
            problems = await new StackPublisher(Model, builder.Stack, builder.Alerting).PublishAsync(directory, publish.Runtime, output, stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot write {directory}: {exception.Message}").ConfigureAwait(false);
            return StartupErrorExitCode;
        }

        if (await ReportAsync(error, "Cannot publish: ", problems).ConfigureAwait(false))
        {
            return ErrorExitCode;
        }

        await output.WriteLineAsync($"""
            Published the compose project into {directory} (the probe's image for {publish.Runtime}).
            Next: set GRAFANA_ADMIN_PASSWORD in {Path.Combine(directory, ".env")}, then run `docker compose up -d` (or docker-compose) there.
            """).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Container mode's compose project, in the state folder.</summary>
    private string ComposeDirectory => Path.Combine(Path.GetFullPath(builder.Stack.StateDirectory), "compose");

    /// <summary>Container mode: the compose project published into the state folder, run by docker compose.</summary>
    private async Task<int> RunContainersAsync(ComposeCli? compose, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        var directory = ComposeDirectory;
        if (compose is null)
        {
            await error.WriteLineAsync("Container mode needs docker compose or docker-compose (apt install docker-compose), or run --mode process").ConfigureAwait(false);
            return StartupErrorExitCode;
        }

        if (await SettingsRefusedAsync(error, stopping).ConfigureAwait(false))
        {
            return ErrorExitCode;
        }

        var publisher = new StackPublisher(Model, builder.Stack, builder.Alerting, forAppHost: true);
        try
        {
            Directory.CreateDirectory(directory);
            if (await ReportAsync(error, "Invalid configuration: ", await publisher.PublishAsync(directory, ProbeImage.HostRuntime, output, stopping).ConfigureAwait(false)).ConfigureAwait(false))
            {
                return ErrorExitCode;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot write the state folder {directory}: {exception.Message}").ConfigureAwait(false);
            return StartupErrorExitCode;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        var (profiles, _) = publisher.ActiveProfiles();
        var context = publisher.Context(directory, profiles);
        var (_, running) = await compose.CaptureAsync(["ps", "-q"], CancellationToken.None).ConfigureAwait(false);
        if (running.Trim().Length == 0) // containers left from a run that was killed hold their ports: up takes them over
        {
            if (await ReportAsync(error, "Cannot start: ", PortsInUse(Model.Resources.Where(context.IsAvailable), builder.Stack.ListenAddress)).ConfigureAwait(false))
            {
                return StartupErrorExitCode;
            }
        }

        if (publisher.Generated.Contains("GRAFANA_ADMIN_PASSWORD") && profiles.Contains("grafana"))
        {
            await output.WriteLineAsync($"Grafana's admin password is GRAFANA_ADMIN_PASSWORD in {Path.Combine(directory, ".env")}").ConfigureAwait(false);
        }

        var orchestrator = new ContainerOrchestrator(Model, compose, context, output);
        await output.WriteLineAsync($"Container mode ({compose.Name}); project {StackPublisher.AppHostProjectName} in {directory}").ConfigureAwait(false);
        await using var dashboard = await StartDashboardAsync(orchestrator, error, stopping).ConfigureAwait(false);
        if (dashboard is null)
        {
            return stopping.IsCancellationRequested ? 0 : StartupErrorExitCode;
        }

        orchestrator.Dashboard = new Uri($"http://{Endpoint.Address(builder.Stack.DashboardAddress, builder.Stack.Ports.Dashboard)}/");
        var up = await orchestrator.RunAsync(stopping).ConfigureAwait(false);
        await output.WriteLineAsync("Stopped").ConfigureAwait(false);
        return up ? 0 : StartupErrorExitCode;
    }

    /// <summary>
    /// Runs the settings checks of the parts that have one (the probe's <c>check-config</c>) here, in a scratch folder,
    /// before a compose project is written: a bad setting is one message now, not a container that keeps exiting.
    /// </summary>
    private async Task<bool> SettingsRefusedAsync(TextWriter error, CancellationToken stopping)
    {
        var scratch = Directory.CreateTempSubdirectory("internet-monitor-check-").FullName;
        try
        {
            using var launcher = new ProcessLauncher();
            var context = new ResourceContext(scratch, builder.Stack.ListenAddress, _ => true);
            var console = new ConsoleLog(TextWriter.Null, 1);
            var checks = Model.Resources.Where(resource => resource.SettingsCheck is not null)
                .Select(resource => new RunningResource(resource, ProgramLocator.Find(resource), launcher, context, console));
            return await ReportAsync(error, string.Empty, await ResourceCheck.RunAsync(checks, context, launcher, stopping).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
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
    private List<string> PortsInUse(IEnumerable<Resource> resources, string listenAddress)
    {
        var wanted = resources
            .SelectMany(resource => resource.Endpoints.Select(endpoint => (What: $"{resource.Name} ({endpoint.Name})", Address: listenAddress, endpoint.Port)))
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
    private async Task<ResourceDashboard?> StartDashboardAsync(IResourceViews orchestrator, TextWriter error, CancellationToken stopping)
    {
        try
        {
            return await ResourceDashboard.StartAsync(orchestrator, builder.Stack.DashboardAddress, builder.Stack.Ports.Dashboard, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null; // stopped while it started
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            await error.WriteLineAsync($"Cannot start the resource dashboard on port {builder.Stack.Ports.Dashboard}: {exception.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
