using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using InternetMonitor.Probe.History;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// The SHA-256 of a history CSV file as <c>/api/history/&lt;table&gt;?format=csv</c> serves it, without holding the file:
/// the same header, the same rows written by <see cref="HistoryCsv.AppendRow"/>, the same UTF-8 without a byte order
/// mark (<see cref="HistoryResponse.WriteCsvAsync"/>), hashed a chunk at a time. The bytes are the same however they are
/// cut, so the digest is that of the file a client downloads, as long as the history holds the same rows.
/// </summary>
public static class ReportCsvDigest
{
    /// <summary>The digest (lowercase hex), the file's length in bytes and its rows.</summary>
    public static (string Sha256, long Bytes, int Rows) Of<T>(IEnumerable<T> rows, string header, Func<T, object?[]> cells)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cells);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
        var text = new StringBuilder(header, HistoryResponse.FlushBytes + 1024).Append("\r\n");
        var (bytes, count) = (0L, 0);
        foreach (var row in rows)
        {
            HistoryCsv.AppendRow(text, cells(row));
            count++;
            if (text.Length >= HistoryResponse.FlushBytes)
            {
                bytes += Feed(text, encoder, hash, last: false);
            }
        }

        bytes += Feed(text, encoder, hash, last: true);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), bytes, count);
    }

    private static long Feed(StringBuilder text, Encoder encoder, IncrementalHash hash, bool last)
    {
        var fed = 0L;
        foreach (var chunk in text.GetChunks())
        {
            fed += Encode(chunk.Span, encoder, hash, flush: false);
        }

        if (last)
        {
            fed += Encode(ReadOnlySpan<char>.Empty, encoder, hash, flush: true);
        }

        text.Clear();
        return fed;
    }

    private static int Encode(ReadOnlySpan<char> chars, Encoder encoder, IncrementalHash hash, bool flush)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, encoder.GetByteCount(chars, flush)));
        try
        {
            var written = encoder.GetBytes(chars, buffer, flush);
            hash.AppendData(buffer, 0, written);
            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
