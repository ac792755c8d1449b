using System.Runtime.InteropServices;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Report;

/// <summary>What the figures were measured on: they mean little without it.</summary>
public sealed record MachineInfo(DateTimeOffset Date, string Commit, int Cores, string CpuModel, string Kernel, string Runtime, string Peers)
{
    public static async Task<MachineInfo> ReadAsync(string repository)
    {
        var (_, commit, _) = await Command.TryRunAsync("git", "-C", repository, "rev-parse", "--short=12", "HEAD");
        var (_, dirty, _) = await Command.TryRunAsync("git", "-C", repository, "status", "--porcelain", "--untracked-files=no");
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var (_, fping, fpingError) = await Command.TryRunAsync("fping", "-v");
        var (_, blackboxOutput, blackboxError) = await Command.TryRunAsync("prometheus-blackbox-exporter", "--version");
        var blackbox = blackboxOutput + blackboxError;
        var peers = $"{(fping + fpingError).Trim()}; blackbox_exporter {Version(blackbox)}; {(await Command.TryRunAsync("curl", "--version")).Output.Split('\n')[0].Split(' ').Take(2).Aggregate((a, b) => $"{a} {b}")}; {(await Command.TryRunAsync("dig", "-v")).Error.Trim()}; {(await Command.TryRunAsync("nginx", "-v")).Error.Trim()}; {(await Command.TryRunAsync("dnsmasq", "--version")).Output.Split("  ")[0].Trim()}";
        return new MachineInfo(
            DateTimeOffset.UtcNow,
            string.IsNullOrWhiteSpace(commit) ? "unknown" : commit.Trim() + (string.IsNullOrWhiteSpace(dirty) ? string.Empty : " (with uncommitted changes)"),
            Environment.ProcessorCount,
            model,
            kernel,
            RuntimeInformation.FrameworkDescription.Replace(".NET ", string.Empty, StringComparison.Ordinal),
            peers);
    }

    private static string Version(string banner)
    {
        var words = banner.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(words, "version");
        return index >= 0 && index + 1 < words.Length ? words[index + 1].Trim() : "unknown";
    }
}
