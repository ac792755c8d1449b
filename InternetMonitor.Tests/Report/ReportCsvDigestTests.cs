using System.Security.Cryptography;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Report;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace InternetMonitor.Tests.Report;

/// <summary>The report's CSV digest is the SHA-256 of the bytes the history's CSV writer sends, however the file is cut into chunks.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ReportCsvDigestTests
{
    [Fact]
    public async Task The_digest_is_that_of_the_bytes_the_csv_endpoint_writes_across_many_flushes_and_wide_characters()
    {
        // Enough rows for several 32 kB flushes, with names of two-, three- and four-byte characters and cells that need quoting.
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(0, 3000).Select(i => new LatencyMinuteRecord(
            start.AddMinutes(i), i % 3 == 0 ? "Müller, \"Büro\"" : i % 3 == 1 ? "路由器" : "🛰️-link", "public", "=1+1", 60, i % 7, (i % 7) / 60.0, 1.5, 2.25 + i, 3, 4, null)).ToList();
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await HistoryResponse.WriteCsvAsync(context.Response, rows, HistoryCsv.LatencyHeader, HistoryCsv.Cells, TestContext.Current.CancellationToken);
        await context.Response.BodyWriter.CompleteAsync();
        var (sha256, bytes, count) = ReportCsvDigest.Of(rows, HistoryCsv.LatencyHeader, HistoryCsv.Cells);

        Assert.True(body.Length > 3 * HistoryResponse.FlushBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body.ToArray())), sha256);
        Assert.Equal(body.Length, bytes);
        Assert.Equal(3000, count);
    }

    [Fact]
    public void A_file_without_rows_is_its_header_line()
    {
        var (sha256, bytes, count) = ReportCsvDigest.Of(Array.Empty<OutageRecord>(), HistoryCsv.OutageHeader, HistoryCsv.Cells);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(HistoryCsv.OutageHeader + "\r\n"))), sha256);
        Assert.Equal(HistoryCsv.OutageHeader.Length + 2, bytes);
        Assert.Equal(0, count);
    }
}
