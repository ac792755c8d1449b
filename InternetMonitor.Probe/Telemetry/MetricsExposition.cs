using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;
using Prometheus;

namespace InternetMonitor.Probe.Telemetry;

/// <summary>
/// The probe's metrics as one text: the families it writes itself, then prometheus-net's registry, in the format
/// the scraper asked for (OpenMetrics when its Accept header names it, as prometheus-net chooses).
/// </summary>
public sealed class MetricsExposition(CollectorRegistry registry, IEnumerable<IExposedFamily> families)
{
    private const int ChunkChars = 16 * 1024;
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private readonly IExposedFamily[] _families = [.. families];

    /// <summary>The format and content type for a request's Accept header.</summary>
    public static (ExpositionFormat Format, string ContentType) Negotiate(string? accept)
    {
        if (MediaTypeHeaderValue.TryParseList(accept?.Split(','), out var types)
            && types.Any(type => type.MediaType.Equals(PrometheusConstants.OpenMetricsContentType, StringComparison.OrdinalIgnoreCase) && type.Quality is not 0))
        {
            return (ExpositionFormat.OpenMetricsText, PrometheusConstants.OpenMetricsContentTypeWithVersionAndEncoding);
        }

        return (ExpositionFormat.PrometheusText, PrometheusConstants.TextContentTypeWithVersionAndEncoding);
    }

    /// <summary>
    /// Writes every family to <paramref name="stream"/>. The registry comes last because its OpenMetrics text ends in
    /// the <c># EOF</c> line. The probe's own families go out in chunks of about 16 kB: a response body takes only
    /// async writes, and one buffer for 1,000 targets' series would be a large object at every scrape.
    /// </summary>
    public async Task WriteAsync(Stream stream, ExpositionFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var chunk = new StringBuilder(ChunkChars);
        await using (var text = new StringWriter(chunk, CultureInfo.InvariantCulture))
        {
            var writer = new ExpositionWriter(text, format, (all, token) => DrainAsync(chunk, stream, all ? 0 : ChunkChars, token));
            foreach (var family in _families)
            {
                await family.WriteToAsync(writer, cancellationToken).ConfigureAwait(false);
            }

            await writer.DrainAsync(cancellationToken, all: true).ConfigureAwait(false);
        }

        await registry.CollectAndExportAsTextAsync(stream, format, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask DrainAsync(StringBuilder chunk, Stream stream, int atLeast, CancellationToken cancellationToken)
    {
        if (chunk.Length == 0 || chunk.Length < atLeast)
        {
            return;
        }

        var bytes = Utf8.GetBytes(chunk.ToString());
        chunk.Clear();
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
