using System.Diagnostics;
using System.Text;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The built probe running as its own process inside a <see cref="NetworkNamespace"/>, configured by
/// environment variables, its /metrics read from inside the namespace. Stopped with SIGTERM by process id.
/// </summary>
public sealed class ProbeProcess : IAsyncDisposable
{
    public const int Port = 8000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private readonly Process _process;
    private readonly NetworkNamespace _network;
    private readonly StringBuilder _log = new();

    private ProbeProcess(Process process, NetworkNamespace network)
    {
        _process = process;
        _network = network;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="network">Where it runs.</param>
    /// <param name="settings">Configuration as environment variables (Monitor__Icmp__Interval=...).</param>
    /// <param name="asUser">Run as this uid:gid (through setpriv) instead of root.</param>
    public static ProbeProcess Start(NetworkNamespace network, IReadOnlyDictionary<string, string> settings, string? asUser = null)
    {
        var folder = ProbeOutput();
        var dll = Path.Combine(folder, "InternetMonitor.Probe.dll");
        var info = new ProcessStartInfo("ip")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] command = ["netns", "exec", network.Name];
        if (asUser is not null)
        {
            var (uid, gid) = (asUser.Split(':')[0], asUser.Split(':')[1]);
            command = [.. command, Prerequisite.RequireProgram("setpriv", "util-linux"), $"--reuid={uid}", $"--regid={gid}", "--clear-groups"];
            info.Environment["HOME"] = Path.GetTempPath();
            info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        foreach (var argument in (string[])[.. command, "dotnet", dll, $"--urls=http://127.0.0.1:{Port}"])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        return new ProbeProcess(Process.Start(info)!, network);
    }

    public bool HasExited => _process.HasExited;

    public async Task<MetricsText?> TryMetricsAsync()
    {
        var (exitCode, output, _) = await _network.TryRunAsync("curl", "-sf", "--max-time", "5", $"http://127.0.0.1:{Port}/metrics");
        return exitCode == 0 ? new MetricsText(output) : null;
    }

    public async Task<int> HttpStatusAsync(string path)
    {
        var (_, output, _) = await _network.TryRunAsync("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", $"http://127.0.0.1:{Port}{path}");
        return int.TryParse(output, out var code) ? code : 0;
    }

    /// <summary>Polls /metrics until <paramref name="condition"/> holds; fails with the last scrape and the log.</summary>
    public async Task<MetricsText> WaitForAsync(Func<MetricsText, bool> condition, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        MetricsText? last = null;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the probe exited ({_process.ExitCode}) while waiting for {what}:\n{Log}");
            }

            last = await TryMetricsAsync();
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"not seen before the deadline: {what}\n--- last /metrics ---\n{Filter(last)}\n--- probe log ---\n{Log}");
        return last!;
    }

    public async Task<int> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await _process.WaitForExitAsync(deadline.Token);
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Command.TryRunAsync("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)); // the probe's own clean shutdown
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    /// <summary>
    /// The probe project's own build output (same configuration as the tests), not the copy beside the tests:
    /// coverage tools instrument that copy, and its hit file cannot be written by a probe run as another user.
    /// </summary>
    private static string ProbeOutput()
    {
        var tests = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(tests);
        var configuration = Path.GetFileName(Path.GetDirectoryName(tests))!;
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(tests))))!;
        var own = Path.Combine(root, "InternetMonitor.Probe", "bin", configuration, framework);
        var folder = File.Exists(Path.Combine(own, "InternetMonitor.Probe.dll")) ? own : AppContext.BaseDirectory;
        Assert.True(File.Exists(Path.Combine(folder, "InternetMonitor.Probe.dll")), $"the probe is not built: looked in {own} and {AppContext.BaseDirectory}");
        return folder;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static string Filter(MetricsText? metrics) => metrics is null
        ? "(no answer)"
        : string.Join('\n', metrics.Text.Split('\n').Where(line => line.StartsWith("internet_monitor_", StringComparison.Ordinal) && !line.Contains("_bucket", StringComparison.Ordinal)));
}
