using System.Globalization;
using System.Text.Json.Serialization;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Scheduling;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// <c>POST /api/speedtests/run</c>: a speed test now, as the schedule would run it (the data budget and an outage may
/// still skip it), never two at once and at most one asked for every <see cref="MinInterval"/>; answered at once with
/// where its result will be read (202, Location: the history's speed tests from its start). A client not on this host
/// needs <c>Monitor:SpeedTest:RunToken</c>.
/// </summary>
public static class SpeedTestRunEndpoints
{
    public const string Path = "/api/speedtests/run";
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(5);

    public static WebApplication MapSpeedTestRun(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, context =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<SpeedTestOptions>>().Value;
            if (!RequestToken.AcceptsChange(context, options.RunToken))
            {
                var hint = options.RunToken.Length > 0 ? RequestToken.Hint : RequestToken.LocalOnlyHint + " (Monitor:SpeedTest:RunToken)";
                return Results.Text(hint + "\n", statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            }

            var run = context.RequestServices.GetRequiredService<JobScheduler>().RunNow(SpeedTestJob.JobName, MinInterval);
            switch (run.Outcome)
            {
                case OnDemandOutcome.Started:
                    var result = $"/api/history/speedtests?from={Uri.EscapeDataString(run.StartedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))}";
                    context.Response.Headers.Location = result;
                    return Results.Json(new SpeedTestRunStarted(run.StartedAt.Value, result), SpeedTestRunJsonContext.Default.SpeedTestRunStarted, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(context);
                case OnDemandOutcome.Busy:
                    return Results.Text("a speed test is running now; its result will be in /api/history/speedtests\n", statusCode: StatusCodes.Status409Conflict).ExecuteAsync(context);
                case OnDemandOutcome.TooSoon:
                    var seconds = (int)Math.Ceiling(run.RetryAfter!.Value.TotalSeconds);
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    return Results.Text($"one speed test on demand every {MinInterval.TotalMinutes:0} minutes: ask again in {seconds} s\n", statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
                default:
                    return Results.Text("the speed test is off (Monitor:SpeedTest:Enabled=false)\n", statusCode: StatusCodes.Status409Conflict).ExecuteAsync(context);
            }
        });
        return app;
    }
}

/// <summary>A speed test started on demand, and where to read its result.</summary>
public sealed record SpeedTestRunStarted(DateTimeOffset StartedAt, string Result);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpeedTestRunStarted))]
internal sealed partial class SpeedTestRunJsonContext : JsonSerializerContext;
