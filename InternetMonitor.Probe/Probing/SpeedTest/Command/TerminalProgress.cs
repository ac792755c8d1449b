using System.Globalization;

namespace InternetMonitor.Probe.Probing.SpeedTest.Command;

/// <summary>One line on a terminal, rewritten in place as the run goes: phase, estimate so far, bytes, streams.</summary>
public sealed class TerminalProgress(TextWriter writer) : IProgress<SpeedTestProgress>
{
    private readonly Lock _lock = new();
    private int _width;

    public void Report(SpeedTestProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Phase == SpeedTestPhase.Latency
            ? string.Create(CultureInfo.InvariantCulture, $"latency   {value.Latency?.TotalMilliseconds:0.00} ms")
            : string.Create(CultureInfo.InvariantCulture,
                $"{value.Phase.Label(),-9} {SpeedTestSummary.Rate(value.BytesPerSecond)}  ({SpeedTestSummary.Bytes(value.RequestBytes)} x {value.Streams}, {SpeedTestSummary.Bytes(value.BytesUsed)} used)");
        lock (_lock)
        {
            writer.Write("\r" + text.PadRight(_width));
            _width = Math.Max(_width, text.Length);
            writer.Flush();
        }
    }

    /// <summary>Clears the line, so that what follows starts clean.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            writer.Write("\r" + new string(' ', _width) + "\r");
            writer.Flush();
        }
    }
}
