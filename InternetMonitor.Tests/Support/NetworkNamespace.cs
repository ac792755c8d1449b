using System.Security.Cryptography;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// A network namespace made for one test, holding only its own loopback: no packet sent inside it can leave
/// the machine. Deleted on dispose, also when the test fails.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("ip", "iproute2");
        var network = new NetworkNamespace($"im-test-{RandomNumberGenerator.GetHexString(8, lowercase: true)}");
        await Command.RunAsync("ip", "netns", "add", network.Name);
        await network.RunAsync("ip", "link", "set", "lo", "up");
        return network;
    }

    /// <summary>Runs a command inside the namespace; fails the test if it fails.</summary>
    public Task<string> RunAsync(params string[] command) => Command.RunAsync("ip", ["netns", "exec", Name, .. command]);

    public Task<(int ExitCode, string Output, string Error)> TryRunAsync(params string[] command) =>
        Command.TryRunAsync("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Sets a sysctl inside the namespace only (net.* sysctls are per namespace).</summary>
    public Task SysctlAsync(string key, string value) => RunAsync("sysctl", "-q", "-w", $"{key}={value}");

    public async ValueTask DisposeAsync() => await Command.TryRunAsync("ip", "netns", "del", Name);
}
