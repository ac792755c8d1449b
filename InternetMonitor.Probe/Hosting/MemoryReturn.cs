using System.Runtime.InteropServices;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Gives back to the system the memory a burst of work took (history reads: pages of rows turned into JSON) once the
/// burst has been over for <see cref="Quiet"/>. The garbage collector keeps what it freed for later allocations, and so
/// does the C library's allocator (SQLite's pages), and a monitor that then idles for hours would hold it all that time;
/// one aggressive collection and one <c>malloc_trim</c> once no read has run for a while, not one per read, return it:
/// a pause of a few milliseconds, seconds after a burst, which may lengthen the round trip of an echo sent just then.
/// </summary>
public sealed partial class MemoryReturn : IDisposable
{
    /// <summary>How long after the last piece of work the memory is given back.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    private readonly ITimer _timer;
    private int _collections;
    private int _working;

    public MemoryReturn(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _timer = time.CreateTimer(_ => Collect(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The collections run so far.</summary>
    public int Collections => Volatile.Read(ref _collections);

    /// <summary>
    /// A piece of work begins; disposing the result ends it. The memory is given back <see cref="Quiet"/> after the
    /// last piece ends, never while one runs.
    /// </summary>
    public IDisposable Work()
    {
        Interlocked.Increment(ref _working);
        return new Piece(this);
    }

    /// <summary>Gives the memory back now: what start-up left, or what a burst of work took.</summary>
    public static void ReturnNow()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
    }

    public void Dispose() => _timer.Dispose();

    private void Ended()
    {
        if (Interlocked.Decrement(ref _working) == 0)
        {
            _timer.Change(Quiet, Timeout.InfiniteTimeSpan);
        }
    }

    private void Collect()
    {
        if (Volatile.Read(ref _working) > 0)
        {
            return; // a piece began meanwhile: its end sets the time again
        }

        ReturnNow();
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

    private sealed class Piece(MemoryReturn owner) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                owner.Ended();
            }
        }
    }

    private static partial class Native
    {
        [LibraryImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int malloc_trim(nuint pad);
    }
}
