using System.Globalization;
using System.Net;
using System.Text.Json;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Peers;

/// <summary>
/// iperf3, the reference for throughput: a one-off server on the far side, a client on the near side, one TCP
/// stream for <see cref="Seconds"/> s after <see cref="Omitted"/> s of slow start left out; the receiver's payload
/// rate. Download is <c>-R</c> (the far side sends).
/// </summary>
public static class Iperf3
{
    public const int Seconds = 5;
    public const int Omitted = 1;

    public static async Task<double> BitsPerSecondAsync(LabNetwork lab, IPAddress server, bool download, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(server);
        await using var listener = LabProcess.Start(lab.Far, ["iperf3", "--server", "--one-off", "--forceflush", "--bind", server.ToString()]);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!listener.Output.Contains("Server listening", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > until || listener.HasExited)
            {
                throw new LabException($"iperf3 did not start: {listener.Log}");
            }

            await Task.Delay(50, cancellationToken);
        }

        string[] arguments = ["iperf3", "--client", server.ToString(), "--time", Seconds.ToString(CultureInfo.InvariantCulture),
            "--omit", Omitted.ToString(CultureInfo.InvariantCulture), "--json", .. download ? ["--reverse"] : Array.Empty<string>()];
        var output = await lab.Near.RunAsync(arguments);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
    }
}
