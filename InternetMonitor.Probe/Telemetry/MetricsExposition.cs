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
    /// the <c># EOF</c> line; the probe's own families are buffered first, as a response body takes only async writes.
    /// </summary>
    public async Task WriteAsync(Stream stream, ExpositionFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (var buffer = new MemoryStream())
        {
            await using (var text = new StreamWriter(buffer, Utf8, leaveOpen: true))
            {
                var writer = new ExpositionWriter(text, format);
                foreach (var family in _families)
                {
                    family.WriteTo(writer);
                }
            }

            await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        }

        await registry.CollectAndExportAsTextAsync(stream, format, cancellationToken).ConfigureAwait(false);
    }
}
