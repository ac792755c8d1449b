using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace InternetMonitor.Lab;

/// <summary>
/// Runs code on a thread that has entered a network namespace. A socket belongs to the namespace it was
/// created in, so sockets made here live in the test's namespace while the rest of the process stays outside.
/// </summary>
public static class NamespaceThread
{
    private const int NewNetworkNamespace = 0x40000000; // CLONE_NEWNET

    public static T Run<T>(NetworkNamespace network, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(network);
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{network.Name}");
                if (setns(handle, NewNetworkNamespace) != 0)
                {
                    throw new InvalidOperationException($"setns into {network.Name} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = action();
            }
#pragma warning disable CA1031 // Handed back to the caller's thread below.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("code in the namespace failed", failure);
    }

#pragma warning disable CA5392, SYSLIB1054 // libc is resolved by the loader; a source-generated import needs unsafe code here.
    [DllImport("libc", SetLastError = true)]
    private static extern int setns(SafeFileHandle fd, int nstype);
#pragma warning restore CA5392, SYSLIB1054
}
