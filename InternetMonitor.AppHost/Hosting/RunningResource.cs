using System.Diagnostics;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// One resource at run time: its program started and kept running (restarted after an exit, waiting 1 s, then twice as
/// long each time up to 30 s, and 1 s again once it has run for a minute), its health read, its output written to the
/// console with its name in front and the last lines kept for the dashboard.
/// </summary>
public sealed class RunningResource(Resource resource, string? program, ProcessLauncher launcher, ResourceContext context, ConsoleLog console)
{
    public const int KeptLines = 200;
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    public Resource Resource { get; } = resource;

    /// <summary>The program it runs, or null when none was found.</summary>
    public string? Program { get; } = program;

    public ResourceState State { get; private set; } = program is null ? ResourceState.Missing : ResourceState.Waiting;

    public int Restarts { get; private set; }

    public int? ProcessId => _process?.Id;

    /// <summary>Completes once it is healthy for the first time, or known never to be (missing).</summary>
    public Task Settled => _settled.Task;

    public IReadOnlyList<string> RecentLines()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }

    /// <summary>Runs it until <paramref name="stopping"/> fires, then stops it.</summary>
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
            var started = Stopwatch.GetTimestamp();
            try
            {
                await RunOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException)
            {
                Write($"could not start {Program}: {exception.Message}");
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            backOff = Stopwatch.GetElapsedTime(started) >= StableAfter ? TimeSpan.FromSeconds(1) : backOff;
            State = ResourceState.Restarting;
            Restarts++;
            Write($"exited (code {_process?.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); restarting in {backOff.TotalSeconds:0} s");
            try
            {
                await Task.Delay(backOff, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
        }

        State = ResourceState.Stopped;
    }

    private async Task RunOnceAsync(CancellationToken stopping)
    {
        var arguments = Resource.Arguments.SelectMany(arguments => arguments(context)).ToList();
        var environment = Resource.Environment.SelectMany(variables => variables(context))
            .Concat(StackModel.ReferenceVariables(Resource, context))
            .ToList();
        State = ResourceState.Starting;
        using var process = await launcher.StartAsync(Program!, arguments, environment, context.DataDirectory(Resource)).ConfigureAwait(false);
        _process = process;
        process.StandardInput.Close();
        var output = PumpAsync(process.StandardOutput);
        var errors = PumpAsync(process.StandardError);
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var health = WatchHealthAsync(exited.Token);
        try
        {
            await process.WaitForExitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await launcher.StopAsync(process, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        await exited.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(output, errors, health).ConfigureAwait(false);
    }

    private async Task WatchHealthAsync(CancellationToken exited)
    {
        if (Resource.HealthPath is null || Resource.Http is null)
        {
            Healthy();
            return;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = new Uri(context.Url(Resource), Resource.HealthPath);
        while (!exited.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(url, exited).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Healthy();
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or stopped meanwhile.
            }

            try
            {
                await Task.Delay(250, exited).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Healthy()
    {
        State = ResourceState.Running;
        _settled.TrySetResult();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            Write(line);
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

        console.Write(Resource.Name, line);
    }
}
