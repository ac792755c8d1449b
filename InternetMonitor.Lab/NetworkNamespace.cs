using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace InternetMonitor.Lab;

/// <summary>
/// A network namespace made by the lab, holding its own loopback and whatever the lab adds: no packet sent
/// inside it can leave the machine unless the lab joins it to something. On dispose every process still inside
/// is stopped by process id and the namespace is deleted. Names carry the creating process's id, so a run
/// that was killed before it could clean up is swept by the next one (<see cref="SweepAbandonedAsync"/>).
/// </summary>
public sealed partial class NetworkNamespace : IAsyncDisposable
{
    private const string Prefix = "imlab-";

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates an empty namespace with its loopback up.</summary>
    public static async Task<NetworkNamespace> CreateAsync()
    {
        var name = $"{Prefix}{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}";
        await Command.RunAsync("ip", "netns", "add", name).ConfigureAwait(false);
        var network = new NetworkNamespace(name);
        await network.RunAsync("ip", "link", "set", "lo", "up").ConfigureAwait(false);
        return network;
    }

    /// <summary>
    /// Deletes the lab namespaces whose creating process is gone (a run that was killed), stopping any
    /// process still inside them. Returns their names.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SweepAbandonedAsync()
    {
        var (_, list, _) = await Command.TryRunAsync("ip", "netns", "list").ConfigureAwait(false);
        var swept = new List<string>();
        foreach (Match match in Owned().Matches(list))
        {
            var owner = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
            if (!Directory.Exists($"/proc/{owner}"))
            {
                await new NetworkNamespace(match.Groups["name"].Value).DisposeAsync().ConfigureAwait(false);
                swept.Add(match.Groups["name"].Value);
            }
        }

        return swept;
    }

    /// <summary>Runs a command inside the namespace; throws if it fails.</summary>
    public Task<string> RunAsync(params string[] command) => Command.RunAsync("ip", ["netns", "exec", Name, .. command]);

    public Task<(int ExitCode, string Output, string Error)> TryRunAsync(params string[] command) =>
        Command.TryRunAsync("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Sets a sysctl inside the namespace only (net.* sysctls are per namespace).</summary>
    public Task SysctlAsync(string key, string value) => RunAsync("sysctl", "-q", "-w", $"{key}={value}");

    /// <summary>
    /// Makes <paramref name="server"/> the name server of every program started in the namespace through
    /// `ip netns exec`, which mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf; removed with the namespace.
    /// </summary>
    public async Task UseNameServerAsync(IPAddress server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Directory.CreateDirectory(EtcFolder);
        await File.WriteAllTextAsync(Path.Combine(EtcFolder, "resolv.conf"), $"nameserver {server}\noptions timeout:1 attempts:1\n").ConfigureAwait(false);
    }

    private string EtcFolder => $"/etc/netns/{Name}";

    /// <summary>The ids of the processes running inside the namespace.</summary>
    public async Task<IReadOnlyList<int>> ProcessIdsAsync()
    {
        var (_, output, _) = await Command.TryRunAsync("ip", "netns", "pids", Name).ConfigureAwait(false);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))];
    }

    /// <summary>Stops every process left inside (SIGKILL by process id), then deletes the namespace.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var pid in await ProcessIdsAsync().ConfigureAwait(false))
        {
            await Command.TryRunAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        await Command.TryRunAsync("ip", "netns", "del", Name).ConfigureAwait(false);
        if (Directory.Exists(EtcFolder))
        {
            Directory.Delete(EtcFolder, recursive: true);
        }
    }

    [GeneratedRegex(@"^(?<name>imlab-(?<pid>\d+)-[0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex Owned();
}
