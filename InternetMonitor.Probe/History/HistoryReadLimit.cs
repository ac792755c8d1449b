using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using InternetMonitor.Probe.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// At most <see cref="HistoryOptions.MaxConcurrentReads"/> history reads at once from other hosts and as many from this
/// one, none queued: one more is answered 429 with <c>Retry-After</c>. ASP.NET Core's concurrency limiter, partitioned
/// by client, applied to the history endpoints only (/metrics, /health and the rest are never limited), so that readers
/// cannot take the cores and the disk from the measurements, and readers on the network cannot shut out the status page
/// or an export on the probe's own host.
/// </summary>
public static class HistoryReadLimit
{
    public const string Policy = "history-reads";

    /// <summary>The seconds a client is told to wait: about what a full page takes to read on a Raspberry Pi.</summary>
    public const int RetryAfterSeconds = 2;

    public static IServiceCollection AddHistoryReadLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HistoryOptions>>((limiter, history) =>
        {
            var permits = history.Value.MaxConcurrentReads;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context => RateLimitPartition.GetConcurrencyLimiter(
                Client(context),
                _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 }));
            limiter.OnRejected = (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(response.WriteAsync(
                    string.Create(CultureInfo.InvariantCulture, $"at most {permits} history reads run at once (Monitor:History:MaxConcurrentReads); try again in {RetryAfterSeconds} s\n"), cancellationToken));
            };
        });
        return services;
    }

    /// <summary>Whether the request comes from this host or another, as the connection gate tells them apart.</summary>
    private static ConnectionClient Client(HttpContext context) => context.Connection.RemoteIpAddress is { } address
        ? ConnectionGate.Classify(new IPEndPoint(address, context.Connection.RemotePort))
        : ConnectionClient.Loopback;
}
