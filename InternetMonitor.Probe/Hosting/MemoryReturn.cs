using System.Runtime.InteropServices;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Gives back to the system the memory a burst of work took (history reads: pages of rows turned into JSON) once the
/// burst has been over for <see cref="Quiet"/>. The garbage collector keeps what it freed for later allocations, and so
/// does the C library's allocator (SQLite's pages), and a monitor that then idles for hours would hold it all that time;
/// one aggressive collection and one <c>malloc_trim</c> after the last read, not one per read, return it. Round trips
/// are unaffected: replies carry the kernel's arrival time.
/// </summary>
public sealed partial class MemoryReturn : IDisposable
{
    /// <summary>How long after the last piece of work the memory is given back.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    private readonly ITimer _timer;
    private int _collections;

    public MemoryReturn(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _timer = time.CreateTimer(_ => Collect(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The collections run so far.</summary>
    public int Collections => Volatile.Read(ref _collections);

    /// <summary>A piece of work has ended: the memory is given back <see cref="Quiet"/> from now, unless another ends meanwhile.</summary>
    public void WorkEnded() => _timer.Change(Quiet, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();

    private void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
        Interlocked.Increment(ref _collections);
    }

    /// <summary>glibc's <c>malloc_trim(0)</c>: the free memory of every arena back to the system (a C library without it, such as musl, is left alone).</summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Native.malloc_trim(0);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    private static partial class Native
    {
        [LibraryImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int malloc_trim(nuint pad);
    }
}
