namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// One timed round: <see cref="Streams"/> requests of <see cref="RequestBytes"/> each, run together, timed from the
/// first body byte of any of them to the last byte of all of them. <see cref="Bytes"/> are the bytes moved inside
/// that window (for a download, what arrived with the first read is outside it).
/// </summary>
public sealed record TransferSample(SpeedTestDirection Direction, long RequestBytes, int Streams, long Bytes, TimeSpan Duration)
{
    public double BytesPerSecond => Duration > TimeSpan.Zero ? Bytes / Duration.TotalSeconds : 0;
}
