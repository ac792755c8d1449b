using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Peers;

/// <summary>fping, the peer for RTT, loss and cost: run in a lab namespace, its output parsed.</summary>
public static partial class Fping
{
    /// <summary>
    /// `fping -C count -p period -t 1000`: every RTT per target in milliseconds, in order (null for a lost echo).
    /// The timeout is explicit: in count mode fping otherwise waits only one period for a reply.
    /// </summary>
    public static async Task<IReadOnlyDictionary<IPAddress, IReadOnlyList<double?>>> RttsAsync(
        NetworkNamespace network, IReadOnlyList<IPAddress> targets, int count, TimeSpan period, CancellationToken cancellationToken)
    {
        var output = await RunAsync(network, ["-C", Text(count), "-p", Text((int)period.TotalMilliseconds), "-t", "1000", "-i", "1", "-q", .. targets.Select(t => t.ToString())], count * period * 1.5, cancellationToken);
        var results = new Dictionary<IPAddress, IReadOnlyList<double?>>();
        foreach (Match match in PerPacket().Matches(output))
        {
            results[IPAddress.Parse(match.Groups["target"].Value)] = [.. match.Groups["values"].Value
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(value => value == "-" ? (double?)null : double.Parse(value, CultureInfo.InvariantCulture))];
        }

        return results;
    }

    /// <summary>`fping -c count -p period -t 500 -S source`: echoes sent and replies received per target.</summary>
    public static async Task<IReadOnlyDictionary<IPAddress, (int Sent, int Received)>> CountsAsync(
        NetworkNamespace network, IPAddress source, IReadOnlyList<IPAddress> targets, int count, TimeSpan period, CancellationToken cancellationToken)
    {
        var output = await RunAsync(network, ["-c", Text(count), "-p", Text((int)period.TotalMilliseconds), "-t", "500", "-i", "1", "-q", "-S", source.ToString(), .. targets.Select(t => t.ToString())], count * period * 1.5, cancellationToken);
        var results = new Dictionary<IPAddress, (int, int)>();
        foreach (Match match in Summary().Matches(output))
        {
            results[IPAddress.Parse(match.Groups["target"].Value)] = (int.Parse(match.Groups["sent"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["received"].Value, CultureInfo.InvariantCulture));
        }

        return results;
    }

    /// <summary>
    /// `fping -l -p period -i interval`: pings the targets until stopped, for the cost comparison. Its output goes
    /// nowhere (in loop mode fping prints every reply, even with -q), so that its cost is its pinging alone.
    /// </summary>
    public static LabProcess Loop(NetworkNamespace network, IReadOnlyList<string> targets, TimeSpan period, string interval) =>
        LabProcess.Start(network, ["sh", "-c", "exec fping \"$@\" > /dev/null 2>&1", "fping", "-l", "-q", "-p", Text((int)period.TotalMilliseconds), "-i", interval, .. targets]);

    private static async Task<string> RunAsync(NetworkNamespace network, string[] arguments, TimeSpan expected, CancellationToken cancellationToken)
    {
        await using var process = LabProcess.Start(network, ["fping", .. arguments]);
        await process.WaitForExitAsync(expected + TimeSpan.FromSeconds(30), cancellationToken);
        return process.Error + process.Output; // fping writes its summaries to standard error
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<target>[0-9a-f.:]+)\s+:\s+(?<values>[0-9. -]+)$", RegexOptions.Multiline)]
    private static partial Regex PerPacket();

    [GeneratedRegex(@"^(?<target>[0-9a-f.:]+)\s+:\s+xmt/rcv/%loss = (?<sent>\d+)/(?<received>\d+)/", RegexOptions.Multiline)]
    private static partial Regex Summary();
}
