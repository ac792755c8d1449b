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
    private int? _exitCode;

    public Resource Resource { get; } = resource;

    /// <summary>The program it runs, or null when none was found.</summary>
    public string? Program { get; } = program;

    public ResourceState State { get; private set; } = program is null ? ResourceState.Missing : ResourceState.Waiting;

    public int Restarts { get; private set; }

    public int? ProcessId { get; private set; }

    /// <summary>Whether its health check answered the last time it was asked (every 10 s once running); null before the first answer.</summary>
    public bool? Healthy { get; private set; }

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
            Healthy = null;
            Restarts++;
            Write($"exited (code {_exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); restarting in {backOff.TotalSeconds:0} s");
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
        ProcessId = process.Id;
        _exitCode = null;
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
        _exitCode = process.ExitCode;
        ProcessId = null;
    }

    /// <summary>Asks its health check every 250 ms until it first answers, then every 10 s while it runs.</summary>
    private async Task WatchHealthAsync(CancellationToken exited)
    {
        if (Resource.HealthPath is null || Resource.Http is null)
        {
            MarkHealthy(true);
            return;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = new Uri(context.Url(Resource), Resource.HealthPath);
        while (!exited.IsCancellationRequested)
        {
            bool healthy;
            try
            {
                using var response = await client.GetAsync(url, exited).ConfigureAwait(false);
                healthy = response.IsSuccessStatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                healthy = false; // not listening yet, or stopped meanwhile
            }

            if (healthy || State == ResourceState.Running)
            {
                MarkHealthy(healthy);
            }

            try
            {
                await Task.Delay(State == ResourceState.Running ? TimeSpan.FromSeconds(10) : TimeSpan.FromMilliseconds(250), exited).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void MarkHealthy(bool healthy)
    {
        Healthy = healthy;
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
