using System.Globalization;

namespace InternetMonitor.Benchmarks.Measuring;

/// <summary>
/// What one process wrote, from /proc/PID/io: bytes it caused to reach the storage layer (write_bytes: pages it
/// dirtied, its database's WAL and shared-memory pages among them), bytes it handed to write(2) (wchar: its log on
/// standard output among them) and its write system calls (syscw).
/// </summary>
public sealed record ProcessWrites(long StorageBytes, long WrittenBytes, long WriteCalls)
{
    public static ProcessWrites Read(int pid)
    {
        var fields = File.ReadAllLines($"/proc/{pid}/io")
            .Select(line => line.Split(':', 2))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1].Trim(), CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new ProcessWrites(fields["write_bytes"], fields["wchar"], fields["syscw"]);
    }

    public static ProcessWrites operator -(ProcessWrites later, ProcessWrites earlier)
    {
        ArgumentNullException.ThrowIfNull(later);
        ArgumentNullException.ThrowIfNull(earlier);
        return new ProcessWrites(later.StorageBytes - earlier.StorageBytes, later.WrittenBytes - earlier.WrittenBytes, later.WriteCalls - earlier.WriteCalls);
    }

    public static ProcessWrites operator +(ProcessWrites left, ProcessWrites right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new ProcessWrites(left.StorageBytes + right.StorageBytes, left.WrittenBytes + right.WrittenBytes, left.WriteCalls + right.WriteCalls);
    }

    /// <summary>The same writing done <paramref name="count"/> times.</summary>
    public ProcessWrites Times(double count) =>
        new((long)(StorageBytes * count), (long)(WrittenBytes * count), (long)(WriteCalls * count));

    /// <summary>The same writing kept up for a day.</summary>
    public ProcessWrites PerDay(TimeSpan measured) => Times(TimeSpan.FromDays(1) / measured);
}
