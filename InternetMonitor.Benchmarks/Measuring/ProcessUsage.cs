using System.Globalization;

namespace InternetMonitor.Benchmarks.Measuring;

/// <summary>CPU time and memory of one process, read from /proc by process id.</summary>
public sealed record ProcessUsage(TimeSpan CpuTime, long ResidentBytes, long PeakResidentBytes)
{
    private const double ClockTicksPerSecond = 100; // USER_HZ, 100 on every Linux architecture we run on

    public static ProcessUsage Read(int pid)
    {
        // /proc/PID/stat: the command is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return new ProcessUsage(TimeSpan.FromSeconds(ticks / ClockTicksPerSecond), Kilobytes(status, "VmRSS:") * 1024, Kilobytes(status, "VmHWM:") * 1024);
    }

    /// <summary>The share of one core used between <paramref name="earlier"/> and this reading, in percent.</summary>
    public double CpuPercentSince(ProcessUsage earlier, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return (CpuTime - earlier.CpuTime).TotalSeconds / elapsed.TotalSeconds * 100;
    }

    private static long Kilobytes(string[] status, string key) =>
        long.Parse(status.First(line => line.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
