using System.Diagnostics;
using InternetMonitor.Probe.Probing.Http;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.Http;

/// <summary>Where the stream stamps the request and the response: the first write, and the first byte or HTTP/2 HEADERS frame.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class StampedStreamTests
{
    [Fact]
    public void Http11_starts_at_the_first_byte_read_and_requests_at_the_first_write()
    {
        var inner = new ScriptedStream([[(byte)'H', (byte)'T'], [(byte)'T', (byte)'P']]);
        using var stream = new StampedStream(inner, http2: false);
        Assert.Null(stream.Requested);

        var beforeWrite = Stopwatch.GetTimestamp();
        stream.Write("GET"u8);
        var requested = stream.Requested;
        stream.Write(" / HTTP/1.1"u8);
        var first = Read(stream);
        var started = stream.Started;
        var firstRead = stream.LastRead;
        Read(stream);

        Assert.NotNull(requested);
        Assert.True(requested >= beforeWrite);
        Assert.Equal(requested, stream.Requested); // the second write does not move it
        Assert.Equal(2, first);
        Assert.Equal(firstRead, started);
        Assert.Equal(started, stream.Started); // the second read does not move it
        Assert.True(stream.LastRead >= started);
        Assert.Equal("GET / HTTP/1.1"u8.ToArray(), inner.Written.ToArray());
    }

    [Fact]
    public void Http2_starts_only_at_the_read_that_completes_a_headers_frame_on_a_request_stream()
    {
        byte[] settings = [.. Frame(0x4, stream: 0, payload: 6), .. Frame(0x8, stream: 0, payload: 4)]; // SETTINGS, WINDOW_UPDATE
        var headers = Frame(0x1, stream: 1, payload: 3);
        var inner = new ScriptedStream([settings, headers[..5], headers[5..]]);
        using var stream = new StampedStream(inner, http2: true);

        Read(stream);
        var afterSettings = stream.Started;
        var settingsRead = stream.LastRead;
        Read(stream);
        var afterHalfHeader = stream.Started;
        Read(stream);

        Assert.Null(afterSettings);
        Assert.Null(afterHalfHeader);
        Assert.NotNull(stream.Started);
        Assert.Equal(stream.LastRead, stream.Started);
        Assert.True(stream.Started >= settingsRead);
    }

    [Fact]
    public void Http2_headers_on_stream_zero_or_inside_a_payload_are_not_the_response()
    {
        // A payload that happens to hold a HEADERS frame's bytes is skipped as payload, and stream 0 carries no response.
        var inner = new ScriptedStream([[.. Frame(0x0, stream: 0, payload: 9, filler: Frame(0x1, stream: 1, payload: 0)), .. Frame(0x1, stream: 0, payload: 0)]]);
        using var stream = new StampedStream(inner, http2: true);

        Read(stream);

        Assert.Null(stream.Started);
        Assert.NotNull(stream.LastRead);
    }

    [Fact]
    public async Task Async_reads_and_writes_stamp_as_the_sync_ones_do()
    {
        var inner = new ScriptedStream([[1, 2, 3]]);
        await using var stream = new StampedStream(inner, http2: false);

        await stream.WriteAsync("x"u8.ToArray(), TestContext.Current.CancellationToken);
        var read = await stream.ReadAsync(new byte[16], TestContext.Current.CancellationToken);
        var end = await stream.ReadAsync(new byte[16], TestContext.Current.CancellationToken);

        Assert.Equal(3, read);
        Assert.Equal(0, end);
        Assert.NotNull(stream.Requested);
        Assert.True(stream.Started >= stream.Requested);
        Assert.Equal(stream.Started, stream.LastRead); // the empty read at the end is not the latest bytes
    }

    private static int Read(Stream stream) => stream.Read(new byte[64], 0, 64);

    /// <summary>An HTTP/2 frame (RFC 9113 section 4.1) of <paramref name="payload"/> bytes.</summary>
    private static byte[] Frame(byte type, uint stream, int payload, byte[]? filler = null)
    {
        var frame = new byte[9 + payload];
        frame[0] = (byte)(payload >> 16);
        frame[1] = (byte)(payload >> 8);
        frame[2] = (byte)payload;
        frame[3] = type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), stream);
        filler?.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>A stream whose reads return the given pieces one per call, then the end; writes are kept.</summary>
    private sealed class ScriptedStream(byte[][] pieces) : Stream
    {
        private int _next;

        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_next == pieces.Length)
            {
                return 0;
            }

            var piece = pieces[_next++];
            piece.CopyTo(buffer, offset);
            return piece.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Written.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
