using System.Globalization;
using System.Net;

namespace InternetMonitor.Lab;

/// <summary>
/// The real dnsmasq in a lab namespace on port 53 of one of its addresses, answering from the records it is given
/// only (no upstream, no cache, no hosts file): the lab's name server, for the probe's DNS timing and for names in
/// HTTP URLs. Stopped by process id.
/// </summary>
public sealed class LabDnsmasq : IAsyncDisposable
{
    private readonly LabProcess _process;

    private LabDnsmasq(LabProcess process, IPAddress address)
    {
        _process = process;
        Address = address;
    }

    public IPAddress Address { get; }

    /// <param name="network">Where it runs.</param>
    /// <param name="address">An address of <paramref name="network"/> to listen on.</param>
    /// <param name="records">Name to the A record it answers with.</param>
    public static async Task<LabDnsmasq> StartAsync(NetworkNamespace network, IPAddress address, IReadOnlyDictionary<string, IPAddress> records)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(records);
        var dnsmasq = new[] { "/usr/sbin/dnsmasq", "/usr/bin/dnsmasq" }.FirstOrDefault(File.Exists)
            ?? throw new LabException("dnsmasq is not installed (Debian package dnsmasq-base)");
        var process = LabProcess.Start(network,
        [
            dnsmasq, "--no-daemon", "--no-resolv", "--no-hosts", "--no-poll", "--conf-file=/dev/null", "--cache-size=0",
            $"--listen-address={address}", "--bind-interfaces", "--port=53", "--user=root",
            .. records.Select(record => $"--host-record={record.Key},{record.Value}"),
        ]);
        var server = new LabDnsmasq(process, address);
        var known = records.Keys.First();
        try
        {
            await Polling.UntilAsync(
                async () => (await network.TryRunAsync("dig", "+short", "+time=1", "+tries=1", $"@{address}", known, "A").ConfigureAwait(false)).Output.Trim(),
                answer => answer == records[known].ToString(), $"dnsmasq answering {known} on {address}", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100),
                () => process.HasExited ? $"it exited ({process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {process.Log}" : null).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
