using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace InternetMonitor.Lab;

/// <summary>
/// A program running inside a lab namespace (through `ip netns exec`, which becomes the program: same process
/// id) or on the machine's own network, its output collected. Stopped by process id: a signal first, SIGKILL if it does not go.
/// </summary>
public sealed class LabProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private LabProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Append(_output, line.Data);
        _process.ErrorDataReceived += (_, line) => Append(_error, line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output so far.</summary>
    public string Output => Read(_output);

    /// <summary>Standard error so far.</summary>
    public string Error => Read(_error);

    /// <summary>Standard output and error so far, output first.</summary>
    public string Log => Output + Error;

    /// <param name="network">Where it runs: a lab namespace, or the machine's own network (loopback) if null.</param>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="workingDirectory">Where it starts; the current directory if null.</param>
    public static LabProcess Start(NetworkNamespace? network, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        string[] line = network is null ? [.. command] : ["ip", "netns", "exec", network.Name, .. command];
        var info = new ProcessStartInfo(line[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in line[1..])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new LabProcess(Process.Start(info) ?? throw new LabException($"could not start {command[0]}"));
    }

    /// <summary>Waits for the program to end by itself; throws after <paramref name="deadline"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LabException($"process {Id} did not end within {deadline.TotalSeconds} s");
        }

        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    /// <summary>
    /// Waits until the program's output holds <paramref name="text"/>; throws, with the output, after
    /// <paramref name="deadline"/> or when the program has ended without writing it.
    /// </summary>
    public async Task WaitForLogAsync(string text, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ended = false;
        await Polling.UntilAsync(
            () =>
            {
                ended = _process.HasExited;
                if (ended)
                {
                    _process.WaitForExit(); // the output readers drained: the text may be in the last of it
                }

                return Task.FromResult(Log.Contains(text, StringComparison.Ordinal));
            },
            seen => seen,
            $"\"{text}\" in the output",
            deadline,
            TimeSpan.FromMilliseconds(50),
            () => ended ? $"the program ended ({_process.ExitCode}) without it" : null,
            _ => Task.FromResult($"the output:\n{Log}"),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT...) by process id and waits; SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(string signal = "TERM", TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        await Command.TryRunAsync("kill", $"-{signal}", Id.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private static void Append(StringBuilder into, string? line)
    {
        if (line is not null)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder from)
    {
        lock (from)
        {
            return from.ToString();
        }
    }
}
