using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// Starts every child so that none outlives the AppHost: each in a process group of its own (<c>setsid</c>), so that
/// stopping it stops whatever it started, and with a parent-death signal (<c>setpriv --pdeathsig KILL</c>), so that
/// the kernel kills it even when the AppHost is killed hard. The parent-death signal follows the thread that forked,
/// not the process: every start happens on one thread that lives as long as the AppHost.
/// </summary>
public sealed partial class ProcessLauncher : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _queue = [];
    private readonly string? _setpriv = Find("setpriv");
    private readonly string? _setsid = Find("setsid");

    public ProcessLauncher()
    {
        var thread = new Thread(() =>
        {
            foreach (var (info, started) in _queue.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(info)!);
                }
#pragma warning disable CA1031 // Handed to the caller, who reports it.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    started.SetException(exception);
                }
            }
        })
        {
            IsBackground = true,
            Name = "process-launcher",
        };
        thread.Start();
    }

    /// <summary>Whether children are guarded against a hard kill of the AppHost (util-linux's setpriv and setsid are on PATH).</summary>
    public bool Guarded => _setpriv is not null && _setsid is not null;

    public Task<Process> StartAsync(string program, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        if (Guarded)
        {
            info.FileName = _setpriv!;
            foreach (var argument in (string[])["--pdeathsig", "KILL", "--", _setsid!, program])
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = program;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((info, started));
        return started.Task;
    }

    /// <summary>SIGTERM to the child's process group, SIGKILL to it after <paramref name="grace"/>.</summary>
    public async Task StopAsync(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.HasExited)
        {
            return;
        }

        Signal(process, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Signal(process, SigKill);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL to what is left of the child's process group once the child itself has ended.</summary>
    public void KillGroup(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (Guarded)
        {
            _ = kill(-process.Id, SigKill);
        }
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Signal(Process process, int signal)
    {
        // The group when the child leads one (setsid), else the child alone.
        if (!Guarded || kill(-process.Id, signal) != 0)
        {
            _ = kill(process.Id, signal);
        }
    }

    private static string? Find(string program) => ProgramLocator.OnPath(program);

    [LibraryImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int kill(int pid, int signal);
}
