using System.Buffers.Binary;
using System.Diagnostics;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>
/// The connection's stream as the HTTP handler uses it, marking when the request starts to go out (the handler's
/// first write), when the response begins (for HTTP/1.1 the first byte read, for HTTP/2 the read that brings the
/// first HEADERS frame of a request stream: the server's SETTINGS and WINDOW_UPDATE frames come first and are not
/// the response), and when the latest bytes came.
/// </summary>
/// <remarks>
/// Hand-written because SocketsHttpHandler raises no such events: the stream it is given is the closest point to the
/// socket it lets us see, so each stamp is taken as the bytes pass, not after the handler has set itself up or parsed
/// the headers.
/// </remarks>
public sealed class StampedStream(Stream inner, bool http2) : Stream
{
    private const int FrameHeaderLength = 9;
    private const byte HeadersFrame = 0x1;

    private readonly byte[] _frameHeader = new byte[FrameHeaderLength];
    private int _frameHeaderFilled;
    private long _payloadLeft;
    private long _requested;
    private long _started;
    private long _lastRead;

    /// <summary>The <see cref="Stopwatch"/> timestamp of the handler's first write (the request), if it wrote.</summary>
    public long? Requested => Stamp(ref _requested);

    /// <summary>The <see cref="Stopwatch"/> timestamp of the read that brought the response's first byte, if one did.</summary>
    public long? Started => Stamp(ref _started);

    /// <summary>The <see cref="Stopwatch"/> timestamp of the latest read that brought bytes.</summary>
    public long? LastRead => Stamp(ref _lastRead);

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Watch(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Watch(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Writing();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Writing();
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static long? Stamp(ref long field) => Interlocked.Read(ref field) is var stamp and not 0 ? stamp : null;

    private void Writing()
    {
        if (Interlocked.Read(ref _requested) == 0)
        {
            Interlocked.Exchange(ref _requested, Stopwatch.GetTimestamp());
        }
    }

    private void Watch(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _lastRead, now);
        if (_started == 0 && (!http2 || ContainsResponseHeaders(data)))
        {
            Interlocked.Exchange(ref _started, now);
        }
    }

    /// <summary>Follows the HTTP/2 frames (RFC 9113 section 4.1: a 9-byte header, then the payload) across reads.</summary>
    private bool ContainsResponseHeaders(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_payloadLeft > 0)
            {
                var skipped = (int)Math.Min(_payloadLeft, data.Length);
                _payloadLeft -= skipped;
                data = data[skipped..];
                continue;
            }

            var taken = Math.Min(FrameHeaderLength - _frameHeaderFilled, data.Length);
            data[..taken].CopyTo(_frameHeader.AsSpan(_frameHeaderFilled));
            _frameHeaderFilled += taken;
            data = data[taken..];
            if (_frameHeaderFilled < FrameHeaderLength)
            {
                return false;
            }

            _frameHeaderFilled = 0;
            _payloadLeft = (_frameHeader[0] << 16) | (_frameHeader[1] << 8) | _frameHeader[2];
            var streamId = BinaryPrimitives.ReadUInt32BigEndian(_frameHeader.AsSpan(5)) & 0x7FFF_FFFF;
            if (_frameHeader[3] == HeadersFrame && streamId != 0)
            {
                return true;
            }
        }

        return false;
    }
}
