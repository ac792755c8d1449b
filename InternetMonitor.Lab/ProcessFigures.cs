using System.Globalization;

namespace InternetMonitor.Lab;

/// <summary>What /proc says of a process the lab started: its open descriptors and its memory, for the figures a test reports.</summary>
public static class ProcessFigures
{
    /// <summary>The descriptors <paramref name="pid"/> holds open now.</summary>
    public static int Descriptors(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>A memory figure of /proc/PID/status in bytes (VmRSS: resident now; VmHWM: the peak since clear_refs).</summary>
    public static long Memory(int pid, string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var line = File.ReadLines($"/proc/{pid}/status").Single(line => line.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
