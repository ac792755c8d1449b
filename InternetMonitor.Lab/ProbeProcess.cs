namespace InternetMonitor.Lab;

/// <summary>
/// The built probe running as its own process inside a <see cref="NetworkNamespace"/>, configured by
/// environment variables, its /metrics read over a connection made inside the namespace. Stopped with
/// SIGTERM by process id.
/// </summary>
public sealed class ProbeProcess : IAsyncDisposable
{
    public const int Port = 8000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private readonly LabProcess _process;
    private readonly HttpClient _client;
    private string? _data;

    private ProbeProcess(LabProcess process, NetworkNamespace network)
    {
        _process = process;
        _client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
        _client.BaseAddress = new Uri($"http://127.0.0.1:{Port}");
    }

    public int Id => _process.Id;

    public string Log => _process.Log;

    public bool HasExited => _process.HasExited;

    /// <param name="network">Where it runs.</param>
    /// <param name="program">The probe: its InternetMonitor.Probe.dll (run with dotnet) or its native executable.</param>
    /// <param name="settings">Configuration as environment variables (Monitor__Icmp__Interval=...).</param>
    /// <param name="asUser">Run as this uid:gid (through setpriv) instead of root.</param>
    /// <param name="listenOnAll">Listen on every address of the namespace (to serve the other side of a lab link), not only its loopback.</param>
    /// <param name="descriptorLimit">Start it with this soft and hard limit on open file descriptors (through prlimit).</param>
    /// <param name="emulator">Run the executable through this command (qemu-aarch64-static -L ROOT for a probe built for arm64).</param>
    public static ProbeProcess Start(NetworkNamespace network, string program, IReadOnlyDictionary<string, string> settings, string? asUser = null, bool listenOnAll = false, int? descriptorLimit = null,
        IReadOnlyList<string>? emulator = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(program))
        {
            throw new LabException($"the probe is not built: {program} is missing");
        }

        var environment = new Dictionary<string, string>(settings)
        {
            ["DOTNET_NOLOGO"] = "1",
            ["Logging__Console__FormatterName"] = "simple",
        };

        // Each complete minute of the history written at once (the default batches five), so that what reads the
        // history finds a minute without waiting; a caller measuring the default names it.
        environment.TryAdd("Monitor__History__LatencyWriteEvery", "00:00:00");

        // A data folder of its own (its history, its data budget), beside no other probe's and never the machine's
        // (deleted with the process), unless the caller names one.
        string? data = null;
        if (!environment.ContainsKey("Monitor__DataDirectory"))
        {
            data = Directory.CreateTempSubdirectory("im-lab-probe-").FullName; // owner-only
            environment["Monitor__DataDirectory"] = data;
        }

        string[] command = [];
        if (asUser is not null)
        {
            var (uid, gid) = (asUser.Split(':')[0], asUser.Split(':')[1]);
            command = [Command.Find("setpriv") ?? throw new LabException("setpriv (util-linux) is missing"), $"--reuid={uid}", $"--regid={gid}", "--clear-groups"];
            if (data is not null)
            {
                Chown(data, asUser);
            }

            environment["HOME"] = Path.GetTempPath();
            environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        if (descriptorLimit is { } limit)
        {
            command = [Command.Find("prlimit") ?? throw new LabException("prlimit (util-linux) is missing"), $"--nofile={limit}:{limit}", .. command];
        }

        string[] probe = program.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", program] : [.. emulator ?? [], program];
        var listen = listenOnAll ? "0.0.0.0" : "127.0.0.1";
        var process = LabProcess.Start(network, [.. command, .. probe, $"--urls=http://{listen}:{Port}"], environment, Path.GetDirectoryName(program));
        return new ProbeProcess(process, network) { _data = data };
    }

    /// <summary>
    /// The probe serving the Cloudflare-compatible speed-test endpoints on every address of <paramref name="network"/>
    /// (port <see cref="Port"/>, up to 1 GB per request), pinging only its loopback, with no job of its own that
    /// could reach past the namespace.
    /// </summary>
    public static ProbeProcess StartSpeedTestServer(NetworkNamespace network, string program) => Start(network, program, new Dictionary<string, string>
    {
        ["Monitor__SpeedTestServer__Enabled"] = "true",
        ["Monitor__SpeedTestServer__MaxBytes"] = "1000000000",
        ["Monitor__Targets__Public__lo"] = "127.0.0.1",
        ["Monitor__Targets__Gateway"] = "none",
        ["Monitor__Dns__Enabled"] = "false",
        ["Monitor__Http__Enabled"] = "false",
        ["Monitor__SpeedTest__Enabled"] = "false",
    }, listenOnAll: true);

    /// <summary>The probe's /metrics, or null while it does not answer (starting, stopped, or an error status).</summary>
    public async Task<MetricsText?> TryMetricsAsync()
    {
        try
        {
            return await MetricsText.ScrapeAsync(_client, new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The body of a GET of <paramref name="path"/> whatever its status, or null when the probe does not answer.</summary>
    public async Task<string?> TryGetAsync(string path)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
            return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The status code of a GET of <paramref name="path"/>, or 0 when the probe does not answer.</summary>
    public async Task<int> HttpStatusAsync(string path)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>The status code of a POST of the JSON <paramref name="body"/> to <paramref name="path"/>, or 0 when the probe does not answer.</summary>
    public async Task<int> PostJsonAsync(string path, string body)
    {
        try
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), content).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Polls /metrics every <paramref name="every"/> (250 ms if not given) until <paramref name="condition"/> holds;
    /// throws with the last scrape and the log if it does not before the deadline or the probe exits.
    /// </summary>
    public async Task<MetricsText> WaitForAsync(Func<MetricsText, bool> condition, string what, TimeSpan? deadline = null, TimeSpan? every = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var seen = await Polling.UntilAsync(
            TryMetricsAsync,
            metrics => metrics is not null && condition(metrics),
            what,
            deadline ?? Deadline,
            every ?? TimeSpan.FromMilliseconds(250),
            () => _process.HasExited ? $"the probe exited ({_process.ExitCode})" : null,
            last => Task.FromResult($"\n--- last /metrics ---\n{Filter(last)}\n--- probe log ---\n{Log}"),
            cancellationToken).ConfigureAwait(false);
        return seen!;
    }

    public Task<int> WaitForExitAsync() => _process.WaitForExitAsync(Deadline);

    /// <summary>Waits until the probe's output holds <paramref name="text"/> (a line may follow the metric it goes with).</summary>
    public Task WaitForLogAsync(string text, CancellationToken cancellationToken = default) => _process.WaitForLogAsync(text, Deadline, cancellationToken);

    /// <summary>SIGKILL, as a power cut or the OOM killer would end it: no shutdown of its own.</summary>
    public Task KillAsync() => _process.StopAsync("KILL");

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync(); // SIGTERM: the probe's own clean shutdown
        if (_data is not null)
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>Gives <paramref name="folder"/> to <paramref name="owner"/> (uid:gid), so that a probe run as that user writes there.</summary>
    private static void Chown(string folder, string owner)
    {
        using var chown = System.Diagnostics.Process.Start(Command.Find("chown") ?? throw new LabException("chown (coreutils) is missing"), [owner, folder]);
        if (!chown.WaitForExit(TimeSpan.FromSeconds(30)) || chown.ExitCode != 0)
        {
            throw new LabException($"chown {owner} {folder} failed");
        }
    }

    private static string Filter(MetricsText? metrics) => metrics is null
        ? "(no answer)"
        : string.Join('\n', metrics.Text.Split('\n').Where(line => line.StartsWith("internet_monitor_", StringComparison.Ordinal) && !line.Contains("_bucket", StringComparison.Ordinal)));
}
