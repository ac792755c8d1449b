using System.Globalization;
using System.Text;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// Sits on a connection's plaintext stream and follows the HTTP/1.1 framing of what the server sends, so that bytes
/// beyond a response's Content-Length are noticed. The HTTP client stops reading at the announced length and
/// silently drops a pooled connection that has more, so without this a body longer than announced would pass for
/// a good transfer. Chunked and close-delimited responses are left to the client (and to the size checks).
/// </summary>
public sealed class ResponseFramingWatch(Stream inner) : Stream
{
    private const int MaxHead = 64 * 1024;
    private readonly List<byte> _head = [];
    private State _state = State.Idle;
    private long _bodyLeft;
    private bool _headRequest;
    private long _overrun;

    private enum State
    {
        /// <summary>A response ended; no request was sent since: any byte is unsolicited.</summary>
        Idle,
        Head,
        Body,

        /// <summary>Chunked or close-delimited: not followed.</summary>
        Unframed,
    }

    /// <summary>Bytes the server sent after the end of a response announced by Content-Length, before the next request.</summary>
    public long Overrun => Interlocked.Read(ref _overrun);

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Observe(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Requested(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Requested(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The first write after a response starts a request (HTTP/1.1 without pipelining: one at a time).</summary>
    private void Requested(ReadOnlySpan<byte> bytes)
    {
        lock (_head)
        {
            if (_state is State.Idle or State.Unframed)
            {
                _headRequest = bytes.StartsWith("HEAD "u8);
                _state = State.Head;
                _head.Clear();
            }
        }
    }

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        lock (_head)
        {
            while (!bytes.IsEmpty)
            {
                switch (_state)
                {
                    case State.Idle:
                        Interlocked.Add(ref _overrun, bytes.Length);
                        return;
                    case State.Unframed:
                        return;
                    case State.Body:
                        var take = (int)Math.Min(_bodyLeft, bytes.Length);
                        _bodyLeft -= take;
                        bytes = bytes[take..];
                        if (_bodyLeft == 0)
                        {
                            _state = State.Idle;
                        }

                        break;
                    case State.Head:
                        bytes = ReadHead(bytes);
                        break;
                }
            }
        }
    }

    /// <summary>Takes header bytes until the blank line; returns what follows it (the body's first bytes).</summary>
    private ReadOnlySpan<byte> ReadHead(ReadOnlySpan<byte> bytes)
    {
        var before = _head.Count;
        _head.AddRange(bytes);
        var end = IndexOfBlankLine();
        if (end < 0)
        {
            if (_head.Count > MaxHead)
            {
                _state = State.Unframed; // not HTTP as we know it: the client will say so
            }

            return [];
        }

        var head = Encoding.ASCII.GetString([.. _head.Take(end)]);
        var consumed = end + 4 - before;
        _head.Clear();
        Frame(head);
        return bytes[consumed..];
    }

    private int IndexOfBlankLine()
    {
        for (var i = 3; i < _head.Count; i++)
        {
            if (_head[i - 3] == '\r' && _head[i - 2] == '\n' && _head[i - 1] == '\r' && _head[i] == '\n')
            {
                return i - 3;
            }
        }

        return -1;
    }

    private void Frame(string head)
    {
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ') is [_, var code, ..] && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        if (status is >= 100 and < 200)
        {
            return; // an interim response: the real one follows
        }

        long? length = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                _state = State.Unframed;
                return;
            }

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedLength))
            {
                length = parsedLength;
            }
        }

        if (_headRequest || status is 204 or 304)
        {
            length = 0;
        }

        _bodyLeft = length ?? 0;
        _state = length switch
        {
            null => State.Unframed,
            0 => State.Idle,
            _ => State.Body,
        };
    }
}
