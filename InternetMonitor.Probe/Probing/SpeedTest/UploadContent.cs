using System.Diagnostics;
using System.Net;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// An upload body of N zero bytes written in 64 KiB pieces, that notes when its first byte went out and reports
/// every piece (stall watch, byte count). Nothing is allocated per request.
/// </summary>
public sealed class UploadContent : HttpContent
{
    private const int Piece = 64 * 1024;
    private static readonly byte[] Zeros = new byte[Piece];

    private readonly long _length;
    private readonly Action<int> _onWritten;

    public UploadContent(long length, Action<int> onWritten)
    {
        _length = length;
        _onWritten = onWritten;
        Headers.ContentType = new("application/octet-stream");
    }

    /// <summary>Stopwatch timestamp of the first write; 0 until then.</summary>
    public long FirstByteAt { get; private set; }

    /// <summary>Bytes handed to the connection so far.</summary>
    public long Written { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        FirstByteAt = Stopwatch.GetTimestamp();
        var left = _length;
        while (left > 0)
        {
            var count = (int)Math.Min(left, Piece);
            await stream.WriteAsync(Zeros.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            left -= count;
            Written += count;
            _onWritten(count);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
