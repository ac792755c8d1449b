using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Writes history rows to a response body as they are read, as a JSON array or as CSV, handing the bytes to the
/// connection every <see cref="FlushBytes"/>: what the probe holds of a response is that much, however many rows it has,
/// and a client that reads slowly holds up only its own response (the flush waits for it).
/// </summary>
public static class HistoryResponse
{
    public const int FlushBytes = 32 * 1024;

    /// <summary>The rows as a JSON array, each written by its source-generated <paramref name="json"/> (no reflection).</summary>
    public static async Task WriteJsonAsync<T>(HttpResponse response, IEnumerable<T> rows, JsonTypeInfo<T> json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(rows);
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body);
        var flushed = 0L;
        writer.WriteStartArray();
        foreach (var row in rows)
        {
            JsonSerializer.Serialize(writer, row, json);
            if (writer.BytesCommitted + writer.BytesPending - flushed >= FlushBytes)
            {
                writer.Flush();
                flushed = writer.BytesCommitted;
                var result = await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled || result.IsCompleted)
                {
                    return; // the client has gone
                }
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows as CSV: <paramref name="header"/>, then one line of <paramref name="cells"/> per row, each cell escaped by <see cref="HistoryCsv"/>.</summary>
    public static async Task WriteCsvAsync<T>(HttpResponse response, IEnumerable<T> rows, string header, Func<T, object?[]> cells, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cells);
        response.ContentType = "text/csv; charset=utf-8";
        var body = response.BodyWriter;
        var encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
        var text = new StringBuilder(header, FlushBytes + 1024).Append("\r\n");
        foreach (var row in rows)
        {
            HistoryCsv.AppendRow(text, cells(row));
            if (text.Length >= FlushBytes)
            {
                Encode(text, encoder, body, last: false);
                var result = await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled || result.IsCompleted)
                {
                    return;
                }
            }
        }

        Encode(text, encoder, body, last: true);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Encode(StringBuilder text, Encoder encoder, System.IO.Pipelines.PipeWriter body, bool last)
    {
        foreach (var chunk in text.GetChunks())
        {
            encoder.Convert(chunk.Span, body, flush: false, out _, out _);
        }

        if (last)
        {
            encoder.Convert(ReadOnlySpan<char>.Empty, body, flush: true, out _, out _);
        }

        text.Clear();
    }
}
