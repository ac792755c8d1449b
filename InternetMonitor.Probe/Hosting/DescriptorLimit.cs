using System.Runtime.InteropServices;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The process's limit on open file descriptors (RLIMIT_NOFILE), its soft limit raised to the hard one at start:
/// every connection a client holds is a descriptor, and so is every socket, file and pipe the measuring needs.
/// </summary>
public sealed partial class DescriptorLimit(long soft, long hard, long softAtStart, int? openAtStart = null)
{
    private const int ResourceOpenFiles = 7; // RLIMIT_NOFILE on Linux (x86, ARM, RISC-V alike)

    private readonly Lazy<int> _openAtStart = new(() => openAtStart ?? OpenNow() ?? 0);

    /// <summary>The soft limit, what the kernel enforces.</summary>
    public long Soft { get; } = soft;

    public long Hard { get; } = hard;

    /// <summary>The soft limit the process was started with, before it was raised.</summary>
    public long SoftAtStart { get; } = softAtStart;

    /// <summary>The descriptors open when first asked: as the web server is built, before the probe starts.</summary>
    public int OpenAtStart => _openAtStart.Value;

    /// <summary>Reads the limit and raises the soft limit to the hard one if lower; without getrlimit (not Linux), null.</summary>
    public static DescriptorLimit? ReadAndRaise()
    {
        if (!OperatingSystem.IsLinux() || Native.getrlimit(ResourceOpenFiles, out var limit) != 0)
        {
            return null;
        }

        var atStart = Clamp(limit.Current);
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (Native.setrlimit(ResourceOpenFiles, in raised) == 0)
            {
                limit = raised;
            }
        }

        return new DescriptorLimit(Clamp(limit.Current), Clamp(limit.Maximum), atStart);
    }

    /// <summary>How many descriptors the process holds now (the entries of /proc/self/fd), or null where that cannot be read.</summary>
    public static int? OpenNow()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // RLIM_INFINITY is all ones: no limit is read as the largest value a long holds.
    private static long Clamp(nuint value) => value > long.MaxValue ? long.MaxValue : (long)value;

    // struct rlimit: rlim_t is an unsigned long, 32 bits on a 32-bit Raspberry Pi OS and 64 on a 64-bit one.
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct ResourceLimit(nuint Current, nuint Maximum);

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int getrlimit(int resource, out ResourceLimit limit);

        [LibraryImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int setrlimit(int resource, in ResourceLimit limit);
    }
}
