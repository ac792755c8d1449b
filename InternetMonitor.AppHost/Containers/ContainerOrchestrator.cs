using System.Globalization;
using System.Text;
using System.Text.Json;
using InternetMonitor.AppHost.Dashboard;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Containers;

/// <summary>
/// Container mode: the compose project published into the state folder, brought up by docker compose (the probe's
/// image built first), each container's log lines on the console behind its service's name, their states on the
/// resource dashboard, and everything taken down (volumes kept) on Ctrl+C or SIGTERM. Containers are the engine's to
/// restart (each service's restart policy); this only watches.
/// </summary>
public sealed class ContainerOrchestrator : IResourceViews
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DownDeadline = TimeSpan.FromMinutes(2);
    private readonly ComposeCli _compose;
    private readonly ConsoleLog _console;
    private readonly ResourceContext _context;
    private readonly List<ContainerResource> _resources;

    public ContainerOrchestrator(StackModel model, ComposeCli compose, ResourceContext context, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(model);
        _compose = compose;
        _context = context;
        _resources = [.. model.StartOrder().Where(resource => resource.Container is not null).Select(resource => new ContainerResource(resource, context.IsAvailable(resource)))];
        _console = new ConsoleLog(output, Math.Max("compose".Length, _resources.Max(running => running.Resource.Name.Length)));
    }

    /// <summary>The resource dashboard's address, first in the table of URLs; null when there is none.</summary>
    public Uri? Dashboard { get; set; }

    public IReadOnlyList<ResourceView> Views() => [.. _resources.Select(running => running.View(_context.Host))];

    /// <summary>Brings the project up and watches it until <paramref name="stopping"/>; false when it could not come up.</summary>
    public async Task<bool> RunAsync(CancellationToken stopping)
    {
        int up;
        try
        {
            up = await _compose.RunAsync(["up", "-d", "--build", "--remove-orphans"], line => _console.Write("compose", line), stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await DownAsync().ConfigureAwait(false); // stopped while coming up: what started goes
            return true;
        }

        if (up != 0 && stopping.IsCancellationRequested)
        {
            await DownAsync().ConfigureAwait(false); // Ctrl+C while it came up
            return true;
        }

        if (up != 0)
        {
            _console.Write("compose", $"{_compose.Name} up failed (exit {up}); taking down what started");
            await DownAsync().ConfigureAwait(false);
            return false;
        }

        var logs = _compose.Start(["logs", "-f", "--no-color"]);
        var pumps = Pump(logs);
        var announced = false;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await RefreshAsync(stopping).ConfigureAwait(false);
                if (!announced && _resources.Where(running => running.Enabled).All(running => running.Ready))
                {
                    announced = true;
                    _console.WriteBlock(UrlTable());
                }

                if (logs.HasExited)
                {
                    // docker-compose ends `logs -f` once every container has stopped: followed again, from now on.
                    await pumps.ConfigureAwait(false);
                    logs.Dispose();
                    logs = _compose.Start(["logs", "-f", "--no-color", "--tail", "0"]);
#pragma warning disable CA2025 // The pumps are awaited before the process is disposed (here, and in finally).
                    pumps = Pump(logs);
#pragma warning restore CA2025
                }

                await Task.Delay(Poll, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: down below.
        }
        finally
        {
            if (!logs.HasExited)
            {
                logs.Kill(entireProcessTree: true);
            }

            await pumps.ConfigureAwait(false);
            logs.Dispose();
            await DownAsync().ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The table printed once every container is healthy.</summary>
    public string UrlTable()
    {
        var text = new StringBuilder("\nInternet Monitor is up (containers):\n");
        var width = Math.Max("dashboard".Length, _resources.Max(running => running.Resource.Name.Length));
        if (Dashboard is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {"dashboard".PadRight(width)}  {Dashboard.AbsoluteUri,-28}  resources, states and logs\n");
        }

        foreach (var view in Views())
        {
            var where = view.Endpoints.FirstOrDefault()?.Url ?? "-";
            text.Append(CultureInfo.InvariantCulture, $"  {view.Name.PadRight(width)}  {where,-28}  {view.Missing ?? view.State}\n");
        }

        return text.Append('\n').ToString();
    }

    private Task Pump(System.Diagnostics.Process logs) => Task.WhenAll(PumpLogsAsync(logs.StandardOutput), PumpLogsAsync(logs.StandardError));

    private async Task DownAsync()
    {
        // Not cancelled by a second Ctrl+C (compose runs in its own session); bounded, for an engine that hangs. Volumes stay.
        using var deadline = new CancellationTokenSource(DownDeadline);
        try
        {
            await _compose.RunAsync(["down", "--remove-orphans"], line => _console.Write("compose", line), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _console.Write("compose", $"{_compose.Name} down did not finish within {DownDeadline.TotalMinutes:0} minutes; the containers may still run: run it again in {_compose.Directory}");
        }
    }

    private async Task RefreshAsync(CancellationToken stopping)
    {
        // Every container of the project, stopped ones too (docker compose v2 lists only running ones without -a).
        var (code, ids) = await _compose.CaptureAsync(["ps", "-q", .. _compose.Name == "docker compose" ? new[] { "-a" } : []], stopping).ConfigureAwait(false);
        var containers = code == 0 ? ids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        var seen = new HashSet<ContainerResource>();
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(await ComposeCli.InspectAsync(containers, stopping).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            return; // read again at the next poll
        }

        using var inspected = json;
        foreach (var container in inspected.RootElement.EnumerateArray())
        {
            if (!container.TryGetProperty("Config", out var config) || !config.TryGetProperty("Labels", out var labels) || labels.ValueKind != JsonValueKind.Object
                || !container.TryGetProperty("State", out var state) || state.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var service = labels.TryGetProperty("com.docker.compose.service", out var name) ? name.GetString() : null;
            if (_resources.FirstOrDefault(running => running.Resource.Name == service) is not { } resource)
            {
                continue;
            }

            var health = state.TryGetProperty("Health", out var check) && check.TryGetProperty("Status", out var status) ? status.GetString() : null;
            resource.Update(
                state.TryGetProperty("Status", out var running) ? running.GetString() ?? "unknown" : "unknown",
                health,
                container.TryGetProperty("RestartCount", out var restarts) && restarts.TryGetInt32(out var count) ? count : 0,
                state.TryGetProperty("Pid", out var pid) && pid.TryGetInt32(out var id) && id > 0 ? id : null,
                config.TryGetProperty("Image", out var image) ? image.GetString() : null);
            seen.Add(resource);
        }

        foreach (var resource in _resources.Where(running => running.Enabled && !seen.Contains(running)))
        {
            resource.Update("not created", null, 0, null, null);
        }
    }

    private async Task PumpLogsAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var (service, text) = LogLine(line, _resources.Select(running => running.Resource.Name));
                if (_resources.FirstOrDefault(running => running.Resource.Name == service) is not { } resource)
                {
                    _console.Write("compose", line);
                    continue;
                }

                resource.Keep(text);
                _console.Write(resource.Resource.Name, text);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // logs -f was stopped.
        }
    }

    /// <summary>
    /// The service a line of <c>logs</c> comes from and its text: "prometheus_1  | text" (docker-compose) or
    /// "prometheus-1  | text" (docker compose); null for a line of compose's own.
    /// </summary>
    public static (string? Service, string Text) LogLine(string line, IEnumerable<string> services)
    {
        ArgumentNullException.ThrowIfNull(line);
        var bar = line.IndexOf(" | ", StringComparison.Ordinal);
        if (bar <= 0)
        {
            return (null, line);
        }

        var source = line[..bar].Trim();
        var service = services.FirstOrDefault(name => source == name
            || (source.Length > name.Length + 1 && source.StartsWith(name, StringComparison.Ordinal)
                && source[name.Length] is '_' or '-' && source[(name.Length + 1)..].All(char.IsAsciiDigit)));
        return service is null ? (null, line) : (service, line[(bar + 3)..]);
    }

    /// <summary>One service as the engine last reported it, and its recent log lines.</summary>
    private sealed class ContainerResource(Resource resource, bool enabled)
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _lock = new();
        private (string State, string? Health, int Restarts, int? ProcessId, string? Image) _status = (enabled ? "waiting" : "off", null, 0, null, null);

        public Resource Resource { get; } = resource;

        public bool Enabled { get; } = enabled;

        /// <summary>Running, and healthy where its image has a health check.</summary>
        public bool Ready
        {
            get
            {
                lock (_lock)
                {
                    return _status.State == "running" && _status.Health is null or "healthy";
                }
            }
        }

        public void Update(string state, string? health, int restarts, int? processId, string? image)
        {
            lock (_lock)
            {
                _status = (state, health, restarts, processId, image);
            }
        }

        public void Keep(string line)
        {
            lock (_lock)
            {
                _lines.Enqueue(line);
                while (_lines.Count > RunningResource.KeptLines)
                {
                    _lines.Dequeue();
                }
            }
        }

        public ResourceView View(string host)
        {
            lock (_lock)
            {
                var (state, health, restarts, processId, image) = _status;
                return new(
                    Resource.Name,
                    "container",
                    state,
                    !Enabled ? "-" : health switch { "healthy" => "healthy", "unhealthy" => "unhealthy", null when state == "running" => "no check", _ => "unknown" },
                    restarts,
                    processId,
                    image ?? Resource.Container!.Reference,
                    Enabled ? null : $"its profile is off: add {Resource.Container!.Profile} to Stack:Profiles",
                    [.. Resource.Endpoints.Select(endpoint => new EndpointView(endpoint.Name, endpoint.Url(host).AbsoluteUri))],
                    [.. _lines.Skip(Math.Max(0, _lines.Count - ResourceView.LogLines))]);
            }
        }
    }
}
