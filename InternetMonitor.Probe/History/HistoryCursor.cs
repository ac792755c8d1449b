using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Where a page of history rows ended: the last row's sort key (its time, and the tie-breaker of rows with the same time:
/// a row id, or a latency row's target), named for its table so that one table's cursor is not taken for another's.
/// Given to clients opaque (base64url) in the <c>after</c> parameter of a <c>Link: rel="next"</c>.
/// </summary>
public sealed record HistoryCursor(string Table, long Time, long Id = 0, string Target = "")
{
    /// <summary>The <c>after</c> value: base64url of <c>table|time|id|target</c>.</summary>
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Table}|{Time}|{Id}|{Target}")));

    /// <summary>The cursor <paramref name="text"/> encodes, if it is one of <paramref name="table"/>'s.</summary>
    public static bool TryDecode(string text, string table, out HistoryCursor? cursor)
    {
        ArgumentNullException.ThrowIfNull(text);
        cursor = null;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (text.Length == 0 || Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done || consumed != text.Length)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var parts = decoded.Split('|', 4);
        if (parts.Length != 4 || parts[0] != table
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new HistoryCursor(table, time, id, parts[3]);
        return true;
    }
}
