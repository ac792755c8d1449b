using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using InternetMonitor.Probe.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Prometheus;

namespace InternetMonitor.Probe.Probing.SpeedTest.Server;

/// <summary>
/// <c>GET /__down?bytes=N</c> sends N bytes; <c>POST /__up</c> reads the body and says how many bytes came.
/// Requests over <see cref="SpeedTestServerOptions.MaxBytes"/> are refused (413), a missing or wrong token
/// is 401, a malformed size 400; while the server is not enabled both answer 404. The options are read per
/// request, so a configuration error is reported at start like any other, not when the routes are mapped.
/// </summary>
public static class SpeedTestServerEndpoints
{
    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] Zeros = new byte[ChunkSize];

    public static WebApplication MapSpeedTestServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/__down", (
                HttpContext context, [FromQuery, Description("How many bytes to send (zeros), at most Monitor:SpeedTestServer:MaxBytes.")] string? bytes,
                [FromServices] IOptions<SpeedTestServerOptions> options, [FromServices] SpeedTestServerMetrics metrics) =>
                options.Value.Enabled ? DownloadAsync(context, bytes, options.Value, metrics.Served) : Off(context))
            .DescribeServer("Send N bytes (a Cloudflare-compatible download)")
            .WithQuerySchema("bytes", ApiDescription.WholeNumber(0))
            .ProducesText(StatusCodes.Status200OK, "N bytes of zeros, with Content-Length and Cache-Control: no-store.", "application/octet-stream")
            .ProducesText(StatusCodes.Status400BadRequest, "bytes is not a whole number.");
        app.MapPost("/__up", (HttpContext context, [FromServices] IOptions<SpeedTestServerOptions> options, [FromServices] SpeedTestServerMetrics metrics) =>
                options.Value.Enabled ? UploadAsync(context, options.Value, metrics.Served) : Off(context))
            .DescribeServer("Read the body and say how many bytes came (a Cloudflare-compatible upload)")
            .Accepts<string>(isOptional: true, "application/octet-stream")
            .ProducesText(StatusCodes.Status200OK, "The number of bytes read.");
        return app;
    }

    /// <summary>What both endpoints share in the API document: who may use them and what they refuse.</summary>
    private static RouteHandlerBuilder DescribeServer(this RouteHandlerBuilder builder, string summary) => builder
        .WithTags("speed test server")
        .WithSummary(summary)
        .WithDescription("Served while Monitor:SpeedTestServer:Enabled is true, so that one probe is another's speed-test server; with Monitor:SpeedTestServer:Token set, the request needs `Authorization: Bearer <token>` or `?token=`.")
        .ProducesText(StatusCodes.Status401Unauthorized, "A token is configured and the request has none or another.")
        .ProducesText(StatusCodes.Status404NotFound, "This probe does not serve speed tests (Monitor:SpeedTestServer:Enabled is false).")
        .ProducesText(StatusCodes.Status413PayloadTooLarge, "Over Monitor:SpeedTestServer:MaxBytes.");

    private static Task Off(HttpContext context) =>
        PlainAsync(context, StatusCodes.Status404NotFound, "this probe does not serve speed tests (Monitor:SpeedTestServer:Enabled is false)");

    private static async Task DownloadAsync(HttpContext context, string? bytesText, SpeedTestServerOptions options, Counter counter)
    {
        var served = counter.WithLabels("download");
        if (Refused(context, options) is { } refusal)
        {
            await refusal;
            return;
        }

        if (!long.TryParse(bytesText, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            await PlainAsync(context, StatusCodes.Status400BadRequest, "bytes must be a whole number of bytes, e.g. /__down?bytes=1000000");
            return;
        }

        if (bytes > options.MaxBytes)
        {
            await PlainAsync(context, StatusCodes.Status413PayloadTooLarge, $"at most {options.MaxBytes} bytes per request");
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes;
        context.Response.Headers.CacheControl = "no-store";
        var left = bytes;
        while (left > 0)
        {
            var count = (int)Math.Min(left, ChunkSize);
            await context.Response.Body.WriteAsync(Zeros.AsMemory(0, count), context.RequestAborted);
            served.Inc(count);
            left -= count;
        }
    }

    private static async Task UploadAsync(HttpContext context, SpeedTestServerOptions options, Counter counter)
    {
        var served = counter.WithLabels("upload");
        if (Refused(context, options) is { } refusal)
        {
            await refusal;
            return;
        }

        if (context.Request.ContentLength > options.MaxBytes)
        {
            await PlainAsync(context, StatusCodes.Status413PayloadTooLarge, $"at most {options.MaxBytes} bytes per request");
            return;
        }

        // The web server's own cap (30 MB by default) gives way to this one.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxBytes + 1;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                total += read;
                served.Inc(read);
                if (total > options.MaxBytes)
                {
                    await PlainAsync(context, StatusCodes.Status413PayloadTooLarge, $"at most {options.MaxBytes} bytes per request");
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await PlainAsync(context, StatusCodes.Status200OK, total.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The 401 to send when a token is set and the request does not carry it; null when it may go on.</summary>
    private static Task? Refused(HttpContext context, SpeedTestServerOptions options) =>
        RequestToken.Accepts(context, options.Token) ? null : PlainAsync(context, StatusCodes.Status401Unauthorized, RequestToken.Hint);

    private static Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
