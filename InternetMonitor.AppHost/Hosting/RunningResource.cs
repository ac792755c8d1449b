using System.Diagnostics;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// One resource at run time: its program started and kept running (restarted after an exit, waiting 1 s, then twice as
/// long each time up to 30 s, and 1 s again once it has run for a minute), its health read while its process lives,
/// its output written to the console with its name in front and the last lines kept for the dashboard. Its state is
/// published whole (<see cref="Snapshot"/>), so that a reader on another thread never sees half of a change.
/// </summary>
public sealed class RunningResource
{
    public const int KeptLines = 200;
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(2);
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ProcessLauncher _launcher;
    private readonly ResourceContext _context;
    private readonly ConsoleLog _console;
    private readonly TimeProvider _time;
    private readonly HttpClient _health = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private ResourceSnapshot _snapshot;

    public RunningResource(Resource resource, string? program, ProcessLauncher launcher, ResourceContext context, ConsoleLog console, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(resource);
        Resource = resource;
        Program = program;
        _launcher = launcher;
        _context = context;
        _console = console;
        _snapshot = new(program is null ? ResourceState.Missing : ResourceState.Waiting, null, null, 0, null);
    }

    public Resource Resource { get; }

    /// <summary>The program it runs, or null when none was found.</summary>
    public string? Program { get; }

    public ResourceSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Completes once it is healthy for the first time, or known never to be (missing, or it could not start).</summary>
    public Task Settled => _settled.Task;

    public IReadOnlyList<string> RecentLines()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }

    /// <summary>Runs it until <paramref name="stopping"/> fires, then stops it. Never throws: a failure is reported and retried.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        if (Program is null)
        {
            _settled.TrySetResult();
            return;
        }

        var backOff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                await RunOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A part that cannot start (a missing folder, a bad argument) is reported and retried; the stack goes on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Write($"could not start {Program}: {exception.Message}");
                Update(snapshot => snapshot with { ProcessId = null, ExitCode = null });
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            backOff = _time.GetElapsedTime(started) >= StableAfter ? TimeSpan.FromSeconds(1) : backOff;
            var exit = Snapshot.ExitCode;
            Update(snapshot => snapshot with { State = ResourceState.Restarting, Healthy = null, Restarts = snapshot.Restarts + 1 });
            Write($"exited ({(exit is { } code ? $"code {code}" : "not started")}); restarting in {backOff.TotalSeconds:0} s");
            try
            {
                await Task.Delay(backOff, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
        }

        Update(snapshot => snapshot with { State = ResourceState.Stopped, Healthy = null, ProcessId = null });
        _health.Dispose();
    }

    private async Task RunOnceAsync(CancellationToken stopping)
    {
        var launch = LaunchSpec.For(Resource, _context);
        Update(snapshot => snapshot with { State = ResourceState.Starting, ExitCode = null });
        using var process = await _launcher.StartAsync(Program!, launch.Arguments, launch.Environment, _context.DataDirectory(Resource)).ConfigureAwait(false);
        Update(snapshot => snapshot with { ProcessId = process.Id });
        process.StandardInput.Close();
        var output = PumpAsync(process.StandardOutput);
        var errors = PumpAsync(process.StandardError);
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(stopping);
#pragma warning disable CA2025 // Awaited below before either is disposed; readers still blocked after the drain end when the streams are.
        var health = WatchHealthAsync(process, exited.Token);
#pragma warning restore CA2025
        try
        {
            await process.WaitForExitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _launcher.StopAsync(process, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        // Whatever it started in its group goes with it, or it would hold the output pipes (and its port) open.
        _launcher.KillGroup(process);
        await exited.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(output, errors), Task.Delay(OutputDrain, CancellationToken.None)).ConfigureAwait(false);
        await health.ConfigureAwait(false);
        Update(snapshot => snapshot with { ProcessId = null, ExitCode = process.ExitCode });
    }

    /// <summary>Asks its health check every 250 ms until it first answers, then every 10 s, while its process lives.</summary>
    private async Task WatchHealthAsync(Process process, CancellationToken exited)
    {
        if (Resource.HealthPath is null || Resource.Http is null)
        {
            MarkHealthy(true);
            return;
        }

        var url = new Uri(_context.Url(Resource), Resource.HealthPath);
        while (!exited.IsCancellationRequested)
        {
            bool healthy;
            try
            {
                using var response = await _health.GetAsync(url, exited).ConfigureAwait(false);
                healthy = response.IsSuccessStatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                healthy = false; // not listening yet, or stopped meanwhile
            }

            // An answer counts only while its own process lives: another program on its port is not it.
            if (!process.HasExited && (healthy || Snapshot.State == ResourceState.Running))
            {
                MarkHealthy(healthy);
            }

            try
            {
                await Task.Delay(Snapshot.State == ResourceState.Running ? TimeSpan.FromSeconds(10) : TimeSpan.FromMilliseconds(250), exited).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void MarkHealthy(bool healthy)
    {
        Update(snapshot => snapshot with { State = ResourceState.Running, Healthy = healthy });
        _settled.TrySetResult();
    }

    private void Update(Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        lock (_lock)
        {
            Volatile.Write(ref _snapshot, change(_snapshot));
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Write(line);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The process is gone and its streams with it.
        }
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }

        _console.Write(Resource.Name, line);
    }
}
