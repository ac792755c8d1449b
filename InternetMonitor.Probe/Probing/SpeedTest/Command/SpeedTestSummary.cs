using System.Globalization;

namespace InternetMonitor.Probe.Probing.SpeedTest.Command;

/// <summary>The summary a person reads at the end of <c>speedtest</c> on a terminal.</summary>
public static class SpeedTestSummary
{
    public static void Write(TextWriter writer, SpeedTestResult result, string url)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteLine(Line("Server", $"{result.Server} ({result.ServerType.ToString().ToLowerInvariant()}, {url})"));
        writer.WriteLine(Line("Latency", $"idle {Milliseconds(result.Idle.Median)}, jitter {Milliseconds(result.Idle.Jitter)} ({result.Idle.Count} round trips)"));
        foreach (var direction in (DirectionResult?[])[result.Download, result.Upload])
        {
            if (direction is null)
            {
                continue;
            }

            var name = direction.Direction == SpeedTestDirection.Download ? "Download" : "Upload";
            writer.WriteLine(direction.Succeeded
                ? Line(name, $"{Rate(direction.BytesPerSecond)}, {direction.Streams} stream(s), {direction.Samples.Count} rounds; "
                    + $"loaded latency {Milliseconds(direction.Loaded.Median)} ({Signed(direction.LatencyIncrease(result.Idle))}, {Rpm(direction.RoundTripsPerMinute)})")
                : Line(name, $"failed: {direction.Reason}: {direction.Detail}"));
        }

        writer.WriteLine(Line("Data used", $"{Bytes(result.BytesUsed(SpeedTestDirection.Download))} down, {Bytes(result.BytesUsed(SpeedTestDirection.Upload))} up"));
        writer.WriteLine(Line("Time", string.Create(CultureInfo.InvariantCulture,
            $"{result.Start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {result.End.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({(result.End - result.Start).TotalSeconds:0.0} s)")));
    }

    public static string Rate(double? bytesPerSecond) => bytesPerSecond is { } rate
        ? string.Create(CultureInfo.InvariantCulture, $"{rate * 8 / 1e6:0.00} Mbit/s")
        : "-";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static string Line(string name, string text) => $"{name,-10} {text}";

    private static string Milliseconds(TimeSpan? value) => value is { } time
        ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.00} ms")
        : "-";

    private static string Signed(TimeSpan? value) => value is { } time
        ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:+0.00;-0.00} ms")
        : "no loaded sample";

    private static string Rpm(double? value) => value is { } rpm
        ? string.Create(CultureInfo.InvariantCulture, $"{rpm:0} round trips/min")
        : "-";
}
